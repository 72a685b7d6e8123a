package dev.scep.runtime.variants;

import dev.scep.formats.vcf.SortedVcf;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits variant scoring by genome region, for running it as independent tasks (on Spark, or on several machines)
 * whose tables concatenate to the single-machine table ({@link VariantScoring#scoreRegions}).
 *
 * <p>A variant belongs to the region where it starts (as GATK's interval shards). A variant may affect a gene whose
 * window starts up to {@link GenePanel#FLANK} bases after it (a deletion reaching in), and every variant of a gene
 * must fall in one shard for its ranks to be right: so each window, widened by the flank on its left, is one
 * interval, overlapping intervals merge into clusters, and shards are runs of whole clusters, about equal in genes,
 * in the VCF's contig order. A shard reads, per contig, from its first cluster's start to its last one's end in one
 * region (one seek, not one per cluster); variants between clusters affect no gene, as in the single-machine table.
 * Stateless.
 */
public final class VariantShards {
    private VariantShards() {
    }

    /**
     * One shard: regions of the genome, in file order.
     *
     * @param index   the shard's place, from 0, in the order whose concatenation is the file's order
     * @param regions its regions, in the VCF's contig names and file order
     * @param genes   the genes whose windows it covers, in the order the single-machine jobs reach them (the VCF's
     *                contig order, then window start)
     */
    public record Shard(int index, List<SortedVcf.Region> regions, List<GenePanel.Gene> genes) {
        /** Copies the lists. */
        public Shard {
            regions = List.copyOf(regions);
            genes = List.copyOf(genes);
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
        List<long[]> clusters = new ArrayList<>();     // {start, end, genes}, with their VCF contig and genes alongside
        List<String> clusterContig = new ArrayList<>();
        List<List<GenePanel.Gene>> clusterGenes = new ArrayList<>();
        int totalGenes = 0;
        for (String vcfContig : vcfContigs) {
            String annotated = panel.annotatedContig(vcfContig);
            if (annotated == null) {
                continue;
            }
            List<GenePanel.Gene> genes = panel.genesOn(annotated);   // by window start: the order the VCF reaches them
            long[] open = null;
            for (GenePanel.Gene g : genes) {
                long[] w = panel.windowSpan(g);
                long start = Math.max(1, w[0] - GenePanel.FLANK);
                if (open != null && start <= open[1] + 1) {
                    open[1] = Math.max(open[1], w[1]);
                    open[2]++;
                } else {
                    open = new long[]{start, w[1], 1};
                    clusters.add(open);
                    clusterContig.add(vcfContig);
                    clusterGenes.add(new ArrayList<>());
                }
                clusterGenes.getLast().add(g);
            }
            totalGenes += genes.size();
        }
        List<Shard> out = new ArrayList<>();
        double perShard = (double) totalGenes / shards;
        List<SortedVcf.Region> regions = new ArrayList<>();
        List<GenePanel.Gene> genes = new ArrayList<>();
        int assigned = 0;
        for (int c = 0; c < clusters.size(); c++) {
            long[] k = clusters.get(c);
            SortedVcf.Region before = regions.isEmpty() ? null : regions.getLast();
            if (before != null && before.contig().equals(clusterContig.get(c))) {
                // one region per contig and shard: read through the gaps between windows (their variants affect no
                // gene) rather than seek once per cluster, which costs a block's decompression each
                regions.set(regions.size() - 1, new SortedVcf.Region(before.contig(), before.start(), k[1]));
            } else {
                regions.add(new SortedVcf.Region(clusterContig.get(c), k[0], k[1]));
            }
            genes.addAll(clusterGenes.get(c));
            assigned += (int) k[2];
            boolean last = c == clusters.size() - 1;
            // close the shard once the genes assigned so far reach its share of the total
            if (last || assigned >= perShard * (out.size() + 1)) {
                out.add(new Shard(out.size(), regions, genes));
                regions = new ArrayList<>();
                genes = new ArrayList<>();
            }
        }
        return out;
    }

    /**
     * The genes on contigs the VCF does not hold, which no shard covers: the single-machine personal job predicts
     * them last (every sample has the reference there), contigs by name, genes by window start.
     *
     * @param panel      the genes
     * @param vcfContigs the VCF's contigs ({@link SortedVcf#indexedContigs})
     * @return those genes, in that order
     */
    public static List<GenePanel.Gene> unvisited(GenePanel panel, List<String> vcfContigs) {
        java.util.Set<String> visited = new java.util.HashSet<>();
        for (String c : vcfContigs) {
            String annotated = panel.annotatedContig(c);
            if (annotated != null) {
                visited.add(annotated);
            }
        }
        List<GenePanel.Gene> out = new ArrayList<>();
        for (String c : panel.contigs().stream().sorted().toList()) {
            if (!visited.contains(c)) {
                out.addAll(panel.genesOn(c));   // by window start
            }
        }
        return out;
    }
}
