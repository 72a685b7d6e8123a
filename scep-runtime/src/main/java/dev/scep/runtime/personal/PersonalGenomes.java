package dev.scep.runtime.personal;

import dev.scep.formats.model.ScepModel;
import dev.scep.formats.io.OutputFile;
import dev.scep.formats.text.InputFormatException;
import dev.scep.formats.text.Sequences;
import dev.scep.formats.vcf.SortedVcf;
import dev.scep.runtime.Backend;
import dev.scep.runtime.HalfLifeInput;
import dev.scep.runtime.InOrderWorkers;
import dev.scep.runtime.Predictor;
import dev.scep.runtime.cpu.Kernels;
import dev.scep.runtime.ism.IncrementalIsm;
import dev.scep.runtime.variants.GenePanel;
import dev.scep.runtime.variants.VariantScorer;
import htsjdk.variant.variantcontext.Allele;
import htsjdk.variant.variantcontext.Genotype;
import htsjdk.variant.variantcontext.VariantContext;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Predictions from personal genomes: for every sample of a VCF and every gene of a {@link GenePanel}, the gene's
 * window with the sample's alleles in it, predicted per haplotype, the prediction being the mean of the two.
 *
 * <p>Phased mode (the default) builds both haplotypes from phased genotypes ({@code 0|1}); a heterozygous unphased
 * genotype is an error, since which alleles share a haplotype changes the prediction. Identical haplotypes (most are,
 * within a 10.5 kb window) are predicted once, in batches. Dosage mode accepts unphased genotypes and is additive:
 * prediction = reference + Σ (alt-allele dosage / 2) × the allele's single-SNV effect on the reference window
 * (the incremental path), which ignores interactions between a sample's alleles.
 *
 * <p>SNVs are applied; indels, MNPs, symbolic alleles and ALT alleles with an IUPAC ambiguity code (N) are skipped,
 * each with its own count (treated as the reference). REF alleles are
 * checked against the genome; mismatching records are counted and skipped, and a VCF whose REF alleles mostly
 * disagree is rejected as another build, as is a VCF none of whose contigs is in the annotation. Missing genotypes
 * ({@code .}) count as the reference allele; allele indices are ints, however many alleles a record has. The output table
 * has one row per gene and sample: {@code sample, gene_id, gene_name, alt_alleles, <output>...}, genes in the order
 * the VCF reaches them, written atomically.
 */
public final class PersonalGenomes {
    public enum Mode { PHASED, DOSAGE }

    public record Options(int threads, Mode mode, VariantScorer.HalfLife halfLife) {
        public Options {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1");
            }
        }
    }

    /** Counts for the summary; alleles are counted in records inside a gene's window whose REF matches the genome. */
    public record Summary(int samples, int genes, long records, long snvAlleles, long indelAlleles, long mnpAlleles,
                          long ambiguousAlleles, long symbolicAlleles,
                          long refMismatches, List<String> mismatchExamples, long missingGenotypes, long haplotypes,
                          long distinctHaplotypes, long nanos) {
    }

    /** Called from the reading thread with the genes finished so far. */
    public interface Progress {
        void update(int genesDone, int genesTotal);
    }

    /** Receives each gene with its sites, in order. */
    private interface GeneSink {
        void accept(GenePanel.Gene gene, List<Site> sites) throws IOException;
    }

    /**
     * One VCF record inside a gene's window: per allele index its base (0 when not applied), per sample two allele
     * indices (ints: a record may have any number of alleles, and a byte would wrap at 128).
     */
    private record Site(long pos, byte[] base, int[] alleles) {
    }

    private PersonalGenomes() {
    }

    public static Summary run(ScepModel model, GenePanel panel, Path vcf, Path out, Options options, Progress progress)
            throws IOException {
        VariantScorer.checkCompatible(model, panel, options.halfLife());
        long t0 = System.nanoTime();
        int total = panel.genes().size();
        List<Path> inputs = new ArrayList<>(panel.sources());
        inputs.add(vcf);
        try (SortedVcf vcfReader = new SortedVcf(vcf);
             OutputFile file = OutputFile.create(out, inputs)) {
            List<String> samples = vcfReader.samples();
            if (samples.isEmpty()) {
                throw new InputFormatException(vcf, 0, "the VCF has no samples (sites only): personal predictions need genotypes");
            }
            Reader reader = new Reader(panel, vcf, options.mode(), samples);
            Writer w = file.writer();
            w.write("sample\tgene_id\tgene_name\talt_alleles");
            for (String o : model.outputNames()) {
                w.write("\t" + o);
            }
            w.write('\n');
            int[] done = {0};
            try (InOrderWorkers<GeneResult> workers = new InOrderWorkers<>("scep-personal", options.threads(), 4 * options.threads(),
                    r -> {
                        w.write(r.text());
                        reader.haplotypes += r.haplotypes();
                        reader.distinct += r.distinct();
                        progress.update(++done[0], total);
                    })) {
                java.util.function.Supplier<Worker> worker = workers.perThread(() -> new Worker(model, panel, options));
                reader.onGene = (gene, sites) -> workers.submit(() -> worker.get().predict(gene, sites, samples));
                reader.read(vcfReader);
                workers.finish();
            }
            long checked = reader.mismatches + reader.matched;
            if (VariantScorer.probablyAnotherBuild(reader.mismatches, checked)) {
                throw new InputFormatException(vcf, 0, "REF alleles disagree with the genome at " + reader.mismatches + " of "
                        + checked + " records inside gene windows (e.g. " + reader.examples + "): the VCF is probably from"
                        + " another genome build; nothing was written");
            }
            file.commit();
            return new Summary(samples.size(), done[0], vcfReader.records(), reader.snvAlleles, reader.indelAlleles,
                    reader.mnpAlleles, reader.ambiguousAlleles, reader.symbolicAlleles, reader.mismatches, List.copyOf(reader.examples), reader.missing, reader.haplotypes,
                    reader.distinct, System.nanoTime() - t0);
        } catch (htsjdk.tribble.TribbleException | htsjdk.samtools.SAMException e) {
            throw SortedVcf.unreadable(vcf, e);
        }
    }

    private record GeneResult(String text, int haplotypes, int distinct) {
    }

    /**
     * Reads the VCF in order and hands each gene its sites once the reader has passed its window (all windows have
     * one length, so genes finish in the order their windows start); genes on contigs the VCF lacks come last.
     */
    private static final class Reader {
        final GenePanel panel;
        final Path vcf;
        final Mode mode;
        final List<String> samples;
        GeneSink onGene;
        long snvAlleles;
        long indelAlleles;
        long mnpAlleles;
        long ambiguousAlleles;
        long symbolicAlleles;
        long mismatches;
        long matched;
        long missing;
        long haplotypes;
        long distinct;
        final List<String> examples = new ArrayList<>();
        // the current contig's genes, the first not yet handed over, and the sites gathered for the open ones
        List<GenePanel.Gene> genes = List.of();
        int next;
        final Map<GenePanel.Gene, List<Site>> sites = new java.util.IdentityHashMap<>();
        final Set<String> contigsDone = new LinkedHashSet<>();
        final Set<String> notAnnotated = new java.util.TreeSet<>();
        boolean anyAnnotated;

        Reader(GenePanel panel, Path vcf, Mode mode, List<String> samples) {
            this.panel = panel;
            this.vcf = vcf;
            this.mode = mode;
            this.samples = samples;
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
                        genes = panel.genesOn(annotated);
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
                if (mode == Mode.PHASED && ploidy == 2 && a0 != a1 && !g.isPhased()) {
                    throw new InputFormatException(vcf, 0, "record " + vc.getContig() + ":" + pos + ", sample " + samples.get(s)
                            + ": unphased heterozygous genotype " + g.getGenotypeString(false)
                            + "; phase the VCF (e.g. SHAPEIT, Beagle) or use the dosage mode (--dosage)");
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

    /** Per scoring thread: a one-thread predictor and, for dosage mode, the incremental engine. */
    private static final class Worker implements AutoCloseable {
        final ScepModel model;
        final GenePanel panel;
        final Options options;
        final Predictor predictor;
        final IncrementalIsm ism;

        Worker(ScepModel model, GenePanel panel, Options options) {
            this.model = model;
            this.panel = panel;
            this.options = options;
            this.predictor = Predictor.of(model, new Predictor.Options(Backend.AUTO, 1));
            this.ism = options.mode() == Mode.DOSAGE && IncrementalIsm.supports(model.architecture())
                    ? new IncrementalIsm(model, Kernels.best(), 1) : null;
        }

        @Override
        public void close() {
            predictor.close();
            if (ism != null) {
                ism.close();
            }
        }

        HalfLifeInput halfLife(GenePanel.Gene g) {
            return options.halfLife() == VariantScorer.HalfLife.ZEROS ? HalfLifeInput.zeros(model.halfLifeFeatures().size())
                    : HalfLifeInput.raw(g.halfLife());
        }

        /** The window position of genomic {@code pos} and the base to put there (complemented on the minus strand). */
        int position(GenePanel.Gene g, long pos) {
            long[] span = panel.windowSpan(g);
            return g.plus() ? (int) (pos - span[0]) : (int) (span[1] - pos);
        }

        byte strandBase(GenePanel.Gene g, byte base) {
            return g.plus() ? base : Sequences.complement(base);
        }

        GeneResult predict(GenePanel.Gene g, List<Site> sites, List<String> samples) {
            int n = samples.size();
            float[][] perSample = new float[n][];
            int[] altCount = new int[n];
            int distinct;
            if (options.mode() == Mode.PHASED) {
                distinct = phased(g, sites, n, perSample, altCount);
            } else {
                distinct = dosage(g, sites, n, perSample, altCount);
            }
            StringBuilder sb = new StringBuilder(n * (40 + 12 * model.outputs().size()));
            var t = g.transcript();
            String name = t.geneName() == null ? "" : t.geneName();
            for (int s = 0; s < n; s++) {
                sb.append(samples.get(s)).append('\t').append(t.geneId()).append('\t').append(name).append('\t').append(altCount[s]);
                for (float v : perSample[s]) {
                    sb.append('\t').append(v);
                }
                sb.append('\n');
            }
            return new GeneResult(sb.toString(), 2 * n, distinct);
        }

        /** Both haplotypes of every sample; identical ones predicted once. Returns the number of distinct haplotypes. */
        private int phased(GenePanel.Gene g, List<Site> sites, int n, float[][] perSample, int[] altCount) {
            Map<HaplotypeKey, Integer> ids = new HashMap<>();
            List<long[]> distinct = new ArrayList<>();
            ids.put(new HaplotypeKey(new long[0]), 0);
            distinct.add(new long[0]);
            int[] hapOf = new int[2 * n];
            long[] buf = new long[sites.size()];
            for (int h = 0; h < 2 * n; h++) {
                int k = 0;
                for (int i = 0; i < sites.size(); i++) {
                    Site site = sites.get(i);
                    int a = site.alleles()[h];
                    if (a > 0 && site.base()[a] != 0) {
                        buf[k++] = (long) i << 32 | a;   // site and allele index, each a full int
                    }
                }
                altCount[h / 2] += k;
                long[] key = Arrays.copyOf(buf, k);
                hapOf[h] = ids.computeIfAbsent(new HaplotypeKey(key), x -> {
                    distinct.add(key);
                    return distinct.size() - 1;
                });
            }
            byte[] reference = panel.window(g);
            HalfLifeInput hl = halfLife(g);
            float[][] predicted = new float[distinct.size()][];
            int batch = 32;
            for (int from = 0; from < distinct.size(); from += batch) {
                int to = Math.min(distinct.size(), from + batch);
                List<byte[]> windows = new ArrayList<>(to - from);
                for (int d = from; d < to; d++) {
                    byte[] w = reference.clone();
                    for (long e : distinct.get(d)) {
                        Site site = sites.get((int) (e >>> 32));
                        w[position(g, site.pos())] = strandBase(g, site.base()[(int) e]);
                    }
                    windows.add(w);
                }
                float[][] y = predictor.predictBatch(windows, java.util.Collections.nCopies(windows.size(), hl));
                System.arraycopy(y, 0, predicted, from, y.length);
            }
            for (int s = 0; s < n; s++) {
                float[] a = predicted[hapOf[2 * s]];
                float[] b = predicted[hapOf[2 * s + 1]];
                float[] mean = new float[a.length];
                for (int o = 0; o < a.length; o++) {
                    mean[o] = (float) (0.5 * ((double) a[o] + b[o]));
                }
                perSample[s] = mean;
            }
            return distinct.size();
        }

        /** Additive: reference + Σ dosage / 2 × single-allele effect. Returns the number of alleles scored. */
        private int dosage(GenePanel.Gene g, List<Site> sites, int n, float[][] perSample, int[] altCount) {
            byte[] reference = panel.window(g);
            HalfLifeInput hl = halfLife(g);
            float[] ref = predictor.predict(reference, hl);
            IncrementalIsm.Gene warm = ism == null ? null : ism.gene(reference, hl);
            double[][] sum = new double[n][ref.length];
            int scored = 0;
            for (Site site : sites) {
                for (int a = 1; a < site.base().length; a++) {
                    if (site.base()[a] == 0) {
                        continue;
                    }
                    float[] effect = null;
                    for (int s = 0; s < n; s++) {
                        int d = (site.alleles()[2 * s] == a ? 1 : 0) + (site.alleles()[2 * s + 1] == a ? 1 : 0);
                        if (d == 0) {
                            continue;
                        }
                        if (effect == null) {
                            effect = effect(g, warm, reference, hl, ref, position(g, site.pos()), strandBase(g, site.base()[a]));
                            scored++;
                        }
                        altCount[s] += d;
                        for (int o = 0; o < ref.length; o++) {
                            sum[s][o] += d * 0.5 * effect[o];
                        }
                    }
                }
            }
            for (int s = 0; s < n; s++) {
                float[] y = new float[ref.length];
                for (int o = 0; o < ref.length; o++) {
                    y[o] = (float) (ref[o] + sum[s][o]);
                }
                perSample[s] = y;
            }
            return scored;
        }

        private float[] effect(GenePanel.Gene g, IncrementalIsm.Gene warm, byte[] reference, HalfLifeInput hl, float[] ref,
                               int position, byte base) {
            if (warm != null) {
                return warm.effect(position, (char) base);
            }
            byte[] w = reference.clone();
            w[position] = base;
            float[] y = predictor.predict(w, hl);
            for (int o = 0; o < y.length; o++) {
                y[o] -= ref[o];
            }
            return y;
        }
    }

    /** A haplotype as the sorted (site, allele) pairs where it differs from the reference: site << 32 | allele. */
    private record HaplotypeKey(long[] alleles) {
        @Override
        public boolean equals(Object o) {
            return o instanceof HaplotypeKey k && Arrays.equals(alleles, k.alleles);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(alleles);
        }
    }
}
