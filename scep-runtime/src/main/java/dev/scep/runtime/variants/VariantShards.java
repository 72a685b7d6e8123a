package dev.scep.runtime.variants;

import dev.scep.formats.vcf.SortedVcf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Splits variant scoring by genome region, for running it as independent tasks (on Spark, or on several machines)
 * whose tables concatenate to the single-machine table ({@link VariantScoring#scoreRegions}).
 *
 * <p>A variant belongs to the region where it starts (as GATK's interval shards). A variant may affect a gene whose
 * window starts up to {@link GenePanel#FLANK} bases after it (a deletion reaching in), and every variant of a gene
 * must fall in one shard for its ranks to be right: so each window, widened by the flank on its left, is one
 * interval, overlapping intervals merge into clusters, and shards are runs of whole clusters, about equal in genes,
 * in the VCF's contig order. Variants between clusters affect no gene, as in the single-machine table. Stateless.
 */
public final class VariantShards {
    private VariantShards() {
    }

    /**
     * One shard: regions of the genome, in file order.
     *
     * @param index   the shard's place, from 0, in the order whose concatenation is the file's order
     * @param regions its regions, in the VCF's contig names and file order
     * @param genes   the genes whose windows it covers
     */
    public record Shard(int index, List<SortedVcf.Region> regions, int genes) {
        /** Copies the regions. */
        public Shard {
            regions = List.copyOf(regions);
        }
    }

    /**
     * Plans about {@code shards} shards (fewer when there are fewer clusters of windows).
     *
     * @param panel      the genes
     * @param vcfContigs the VCF's contigs in file order ({@link SortedVcf#indexedContigs}); contigs the annotation
     *                   does not have are left out (they hold no gene)
     * @param shards     the shards wanted, at least 1
     * @return the shards, in file order; empty when no contig of the VCF has a gene
     * @throws IllegalArgumentException when {@code shards} is below 1
     */
    public static List<Shard> plan(GenePanel panel, List<String> vcfContigs, int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("at least one shard, not " + shards);
        }
        List<long[]> clusters = new ArrayList<>();     // {start, end, genes}, with their VCF contig alongside
        List<String> clusterContig = new ArrayList<>();
        int totalGenes = 0;
        for (String vcfContig : vcfContigs) {
            String annotated = panel.annotatedContig(vcfContig);
            if (annotated == null) {
                continue;
            }
            List<long[]> spans = new ArrayList<>();
            for (GenePanel.Gene g : panel.genesOn(annotated)) {
                long[] w = panel.windowSpan(g);
                spans.add(new long[]{Math.max(1, w[0] - GenePanel.FLANK), w[1]});
            }
            spans.sort(Comparator.comparingLong(v -> v[0]));
            long[] open = null;
            for (long[] s : spans) {
                if (open != null && s[0] <= open[1] + 1) {
                    open[1] = Math.max(open[1], s[1]);
                    open[2]++;
                } else {
                    open = new long[]{s[0], s[1], 1};
                    clusters.add(open);
                    clusterContig.add(vcfContig);
                }
            }
            totalGenes += spans.size();
        }
        List<Shard> out = new ArrayList<>();
        double perShard = (double) totalGenes / shards;
        List<SortedVcf.Region> regions = new ArrayList<>();
        int genes = 0;
        int assigned = 0;
        for (int c = 0; c < clusters.size(); c++) {
            long[] k = clusters.get(c);
            regions.add(new SortedVcf.Region(clusterContig.get(c), k[0], k[1]));
            genes += (int) k[2];
            assigned += (int) k[2];
            boolean last = c == clusters.size() - 1;
            // close the shard once the genes assigned so far reach its share of the total
            if (last || assigned >= perShard * (out.size() + 1)) {
                out.add(new Shard(out.size(), regions, genes));
                regions = new ArrayList<>();
                genes = 0;
            }
        }
        return out;
    }
}
