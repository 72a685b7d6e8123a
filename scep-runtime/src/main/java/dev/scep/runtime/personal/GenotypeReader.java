package dev.scep.runtime.personal;

import dev.scep.formats.text.InputFormatException;
import dev.scep.formats.vcf.SortedVcf;
import dev.scep.runtime.variants.GenePanel;
import htsjdk.variant.variantcontext.Allele;
import htsjdk.variant.variantcontext.Genotype;
import htsjdk.variant.variantcontext.VariantContext;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the VCF in order, turning each record inside a gene's window into a {@link Site} (REF checked against the
 * genome, the SNV alleles that apply, every sample's two allele indices), and hands each gene its sites once the
 * reader has passed its window (all windows have one length, so genes finish in the order their windows start);
 * genes on contigs the VCF lacks come last. Counts what it applies and what it skips for the summary.
 */
final class GenotypeReader {
    /** Receives each gene with its sites, in order. */
    interface GeneSink {
        void accept(GenePanel.Gene gene, List<Site> sites) throws IOException;
    }

    private final GenePanel panel;
    private final Path vcf;
    private final PersonalGenomes.Mode mode;
    private final List<String> samples;
    private final GeneSink onGene;
    private final List<GenePanel.Gene> only;     // a shard's genes, in order; null for every gene of the panel
    private final Set<GenePanel.Gene> handedOver = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    long snvAlleles;
    long indelAlleles;
    long mnpAlleles;
    long ambiguousAlleles;
    long symbolicAlleles;
    long mismatches;
    long matched;
    long missing;
    final List<String> examples = new ArrayList<>();   // the first REF mismatches
    // the current contig's genes, the first not yet handed over, and the sites gathered for the open ones
    private List<GenePanel.Gene> genes = List.of();
    private int next;
    private final Map<GenePanel.Gene, List<Site>> sites = new java.util.IdentityHashMap<>();
    private final Set<String> contigsDone = new LinkedHashSet<>();
    private final Set<String> notAnnotated = new java.util.TreeSet<>();
    private boolean anyAnnotated;

    GenotypeReader(GenePanel panel, Path vcf, PersonalGenomes.Mode mode, List<String> samples, GeneSink onGene) {
        this(panel, vcf, mode, samples, onGene, null);
    }

    /**
     * A reader for one shard of a split job: only {@code only}'s genes are handed over, in that order (records come
     * from the shard's regions), and at the end those the records never reached, still in that order.
     */
    GenotypeReader(GenePanel panel, Path vcf, PersonalGenomes.Mode mode, List<String> samples, GeneSink onGene,
                   List<GenePanel.Gene> only) {
        this.panel = panel;
        this.vcf = vcf;
        this.mode = mode;
        this.samples = samples;
        this.onGene = onGene;
        this.only = only;
    }

    /** The genes of a contig this reader hands over, in window order. */
    private List<GenePanel.Gene> genesOn(String contig) {
        return only == null ? panel.genesOn(contig)
                : only.stream().filter(g -> g.transcript().contig().equals(contig)).toList();
    }

    void read(SortedVcf vcfReader) throws IOException {
        String annotated = null;
        VariantContext vc;
        while ((vc = vcfReader.next()) != null) {
            long pos = vc.getStart();
            if (vcfReader.startsContig()) {
                finishContig();
                annotated = panel.annotatedContig(vc.getContig());
                if (annotated == null) {
                    notAnnotated.add(vc.getContig());
                } else {
                    anyAnnotated = true;
                }
                if (annotated != null && !contigsDone.contains(annotated)) {
                    genes = genesOn(annotated);
                    next = 0;
                }
            }
            if (annotated == null) {
                continue;
            }
            // genes whose window ends before this record are complete
            while (next < genes.size() && panel.windowSpan(genes.get(next))[1] < pos) {
                handOver(genes.get(next++));
            }
            List<GenePanel.Gene> here = new ArrayList<>(2);
            for (int i = next; i < genes.size() && panel.windowSpan(genes.get(i))[0] <= pos; i++) {
                here.add(genes.get(i));
            }
            if (here.isEmpty()) {
                continue;
            }
            Site site = site(vc, here.getFirst());
            if (site != null) {
                for (GenePanel.Gene g : here) {
                    sites.computeIfAbsent(g, x -> new ArrayList<>()).add(site);
                }
            }
        }
        finishContig();
        if (only != null) {
            for (GenePanel.Gene g : only) {
                if (!handedOver.contains(g)) {
                    handOver(g);
                }
            }
            return;
        }
        if (!anyAnnotated && !notAnnotated.isEmpty()) {
            // before any gene is predicted: every person would get the reference genome's predictions
            throw panel.noContigAnnotated(vcf, notAnnotated, "nothing was written");
        }
        for (String c : panel.contigs().stream().sorted().toList()) {
            if (!contigsDone.contains(c)) {
                genes = panel.genesOn(c);
                next = 0;
                finishContig(c);
            }
        }
    }

    private void finishContig() throws IOException {
        if (!genes.isEmpty()) {
            finishContig(genes.getFirst().transcript().contig());
        }
    }

    private void finishContig(String c) throws IOException {
        while (next < genes.size()) {
            handOver(genes.get(next++));
        }
        contigsDone.add(c);
        genes = List.of();
        next = 0;
    }

    private void handOver(GenePanel.Gene g) throws IOException {
        handedOver.add(g);
        List<Site> s = sites.remove(g);
        onGene.accept(g, s == null ? List.of() : s);
    }

    /** The record's usable alleles and genotypes, or null when it changes nothing (or its REF is wrong). */
    private Site site(VariantContext vc, GenePanel.Gene gene) throws InputFormatException {
        String ref = vc.getReference().getBaseString().toUpperCase(java.util.Locale.ROOT);
        long pos = vc.getStart();
        if (!gene.matchesGenome(pos, ref)) {
            mismatches++;
            if (examples.size() < 5) {
                examples.add(vc.getContig() + ":" + pos + " REF " + ref);
            }
            return null;
        }
        matched++;
        List<Allele> alleles = vc.getAlleles();
        byte[] base = new byte[alleles.size()];
        boolean any = false;
        for (int a = 1; a < alleles.size(); a++) {
            Allele al = alleles.get(a);
            String b = al.getBaseString().toUpperCase(java.util.Locale.ROOT);
            if (SortedVcf.isSymbolic(al)) {
                symbolicAlleles++;
            } else if (!b.chars().allMatch(c -> c == 'A' || c == 'C' || c == 'G' || c == 'T')) {
                ambiguousAlleles++;   // N (htsjdk reads no other IUPAC code): no one sequence to apply
            } else if (ref.length() == 1 && b.length() == 1) {
                base[a] = (byte) b.charAt(0);
                snvAlleles++;
                any = true;
            } else if (ref.length() == b.length()) {
                mnpAlleles++;
            } else {
                indelAlleles++;
            }
        }
        if (!any) {
            return null;
        }
        int[] gt = new int[2 * samples.size()];
        htsjdk.variant.variantcontext.GenotypesContext genotypes;
        try {
            genotypes = vc.getGenotypes();
            if (!genotypes.isEmpty()) {
                genotypes.get(0);   // htsjdk decodes them all on the first access, checking each against the alleles
            }
        } catch (RuntimeException e) {
            throw new InputFormatException(vcf, 0, "record " + vc.getContig() + ":" + pos + ": cannot read its genotypes: "
                    + e.getMessage());
        }
        if (genotypes.size() != samples.size()) {
            throw new InputFormatException(vcf, 0, "record " + vc.getContig() + ":" + pos + ": " + genotypes.size()
                    + " genotypes for " + samples.size() + " samples");
        }
        for (int s = 0; s < samples.size(); s++) {
            Genotype g = genotypes.get(s);
            int ploidy = g.getPloidy();
            if (ploidy > 2) {
                throw new InputFormatException(vcf, 0, "record " + vc.getContig() + ":" + pos + ", sample " + samples.get(s)
                        + ": ploidy " + ploidy + " (only haploid and diploid genotypes are supported)");
            }
            int a0 = ploidy == 0 ? -1 : alleleIndex(vc, g, 0, s);
            int a1 = ploidy == 2 ? alleleIndex(vc, g, 1, s) : a0;   // haploid: both copies the same
            if (a0 < 0) {
                missing++;
                a0 = 0;
            }
            if (a1 < 0) {
                missing++;
                a1 = 0;
            }
            if (mode == PersonalGenomes.Mode.PHASED && ploidy == 2 && a0 != a1 && !g.isPhased()) {
                throw new InputFormatException(vcf, 0, "record " + vc.getContig() + ":" + pos + ", sample " + samples.get(s)
                        + ": unphased heterozygous genotype " + g.getGenotypeString(false)
                        + "; phase the VCF (e.g. SHAPEIT, Beagle) or use the dosage mode (PersonalGenomes.Mode.DOSAGE, --dosage)");
            }
            gt[2 * s] = a0;
            gt[2 * s + 1] = a1;
        }
        return new Site(pos, base, gt);
    }

    /** The index of a sample's allele among the record's, -1 for a missing one; never past the record's alleles. */
    private int alleleIndex(VariantContext vc, Genotype g, int copy, int sample) throws InputFormatException {
        Allele a = g.getAllele(copy);
        if (a.isNoCall()) {
            return -1;
        }
        int index = vc.getAlleleIndex(a);
        if (index < 0 || index >= vc.getNAlleles()) {
            throw new InputFormatException(vcf, 0, "record " + vc.getContig() + ":" + vc.getStart() + ", sample "
                    + samples.get(sample) + ": allele " + a.getDisplayString() + " is not among the record's "
                    + vc.getNAlleles() + " alleles");
        }
        return index;
    }
}
