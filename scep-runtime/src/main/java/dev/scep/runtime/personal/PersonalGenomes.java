package dev.scep.runtime.personal;

import dev.scep.formats.io.OutputFile;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.text.InputFormatException;
import dev.scep.formats.vcf.SortedVcf;
import dev.scep.runtime.concurrent.InOrderWorkers;
import dev.scep.runtime.variants.GenePanel;
import dev.scep.runtime.variants.VariantScorer;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Predictions from personal genomes: for every sample of a VCF and every gene of a {@link GenePanel}, the gene's
 * window with the sample's alleles in it, predicted per haplotype, the prediction being the mean of the two.
 *
 * <p>{@link Mode#PHASED} builds both haplotypes from phased genotypes ({@code 0|1}); a heterozygous unphased
 * genotype is an error, since which alleles share a haplotype changes the prediction. Identical haplotypes (most are,
 * within a 10.5 kb window) are predicted once, in batches. {@link Mode#DOSAGE} accepts unphased genotypes and is additive:
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
 *
 * <p>Inside, {@code GenotypeReader} reads the VCF into each gene's sites, {@code Haplotypes} groups a gene's
 * haplotypes into distinct ones, {@code HaplotypePredictor} predicts them on a worker thread, and {@code PersonalTable}
 * formats the rows; this class runs them, one reader, several predictors, the rows written in order.
 */
public final class PersonalGenomes {
    /** How genotypes become predictions. */
    public enum Mode {
        /** Both haplotypes predicted, their mean reported; unphased heterozygous genotypes are an error. */
        PHASED,
        /** Additive: reference + dosage / 2 × each allele's effect; accepts unphased genotypes. */
        DOSAGE
    }

    /**
     * How to run.
     *
     * @param threads  prediction threads, at least 1 (on the GPU: threads building haplotype windows for it)
     * @param mode     phased haplotypes or additive dosage
     * @param halfLife where the half-life features come from
     * @param device   where the haplotype windows are predicted: the CPU, the GPU (one device shared by the threads,
     *                 in batches of {@link dev.scep.runtime.gpu.GpuPredictor#DEFAULT_BATCH}; fails at once without a
     *                 working GPU) or AUTO; dosage mode's allele effects stay on the CPU's exact incremental engine
     */
    public record Options(int threads, Mode mode, VariantScorer.HalfLife halfLife, dev.scep.runtime.Device device) {
        /** Checks the values. */
        public Options {
            java.util.Objects.requireNonNull(mode, "mode");
            java.util.Objects.requireNonNull(halfLife, "halfLife");
            java.util.Objects.requireNonNull(device, "device");
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1");
            }
        }

        /**
         * Options on the CPU.
         *
         * @param threads  prediction threads, at least 1
         * @param mode     phased haplotypes or additive dosage
         * @param halfLife where the half-life features come from
         */
        public Options(int threads, Mode mode, VariantScorer.HalfLife halfLife) {
            this(threads, mode, halfLife, dev.scep.runtime.Device.CPU);
        }
    }

    /**
     * Counts for the summary; alleles are counted in records inside a gene's window whose REF matches the genome.
     *
     * @param samples             samples of the VCF
     * @param genes               genes of the panel
     * @param records             VCF records read
     * @param snvAlleles          SNV alleles applied
     * @param indelAlleles        indel alleles skipped
     * @param mnpAlleles          MNP alleles skipped
     * @param ambiguousAlleles    ALT alleles with an IUPAC ambiguity code, skipped
     * @param symbolicAlleles     symbolic alleles skipped
     * @param refMismatches       records whose REF is not the genome's
     * @param matchedRecords      records inside a gene's window whose REF is the genome's
     * @param mismatchExamples    the first few mismatches, as text
     * @param missingGenotypes    missing alleles ({@code .}) read as the reference
     * @param haplotypes          haplotypes (2 per sample and gene)
     * @param distinctHaplotypes  distinct haplotypes predicted (dosage mode: allele effects computed)
     * @param nanos               wall time
     */
    public record Summary(int samples, int genes, long records, long snvAlleles, long indelAlleles, long mnpAlleles,
                          long ambiguousAlleles, long symbolicAlleles,
                          long refMismatches, long matchedRecords, List<String> mismatchExamples, long missingGenotypes,
                          long haplotypes, long distinctHaplotypes, long nanos) implements java.io.Serializable {
        /** Copies the examples. */
        public Summary {
            mismatchExamples = List.copyOf(mismatchExamples);
        }

        /**
         * The counts of two shards of one job together ({@link #runShard}): sums (samples: the same VCF's), the
         * first five mismatch examples, the longer wall time.
         *
         * @param o the other shard
         * @return the sum
         */
        public Summary plus(Summary o) {
            List<String> examples = new ArrayList<>(mismatchExamples);
            o.mismatchExamples.stream().limit(Math.max(0, 5 - examples.size())).forEach(examples::add);
            return new Summary(Math.max(samples, o.samples), genes + o.genes, records + o.records, snvAlleles + o.snvAlleles,
                    indelAlleles + o.indelAlleles, mnpAlleles + o.mnpAlleles, ambiguousAlleles + o.ambiguousAlleles,
                    symbolicAlleles + o.symbolicAlleles, refMismatches + o.refMismatches, matchedRecords + o.matchedRecords,
                    examples, missingGenotypes + o.missingGenotypes, haplotypes + o.haplotypes,
                    distinctHaplotypes + o.distinctHaplotypes, Math.max(nanos, o.nanos));
        }

        /**
         * Fails when REF alleles disagree with the genome so often that the VCF is probably from another genome build
         * ({@link VariantScorer#probablyAnotherBuild}): then no table may be written.
         *
         * @param vcf the VCF these counts are of, for the message
         * @throws InputFormatException naming the file, the counts and examples
         */
        public void requireSameBuild(Path vcf) throws InputFormatException {
            VariantScorer.requireSameBuild(vcf, refMismatches, refMismatches + matchedRecords, mismatchExamples, "records",
                    "nothing was written");
        }
    }

    /** Called from the reading thread with the genes finished so far. */
    @FunctionalInterface
    public interface Progress {
        /**
         * Progress so far.
         *
         * @param genesDone  genes written
         * @param genesTotal genes of the panel
         */
        void update(int genesDone, int genesTotal);
    }

    /** What the writer has seen: genes written, haplotypes, and distinct haplotypes (or allele effects) predicted. */
    private static final class Tally {
        int genes;
        long haplotypes;
        long distinct;
    }

    private PersonalGenomes() {
    }

    /**
     * Predicts every gene of the panel for every sample of a VCF from the sample's own genome, and writes
     * {@code sample, gene_id, gene_name, alt_alleles, <outputs>} (log10, z-score undone), atomically.
     *
     * @param model    the model
     * @param panel    the genes and the genome around their windows (the VCF's build)
     * @param vcf      a sorted VCF/BCF with genotypes (phased for {@link Mode#PHASED})
     * @param out      the table to write; refused when it is one of the inputs
     * @param options  threads, mode and half-life source
     * @param progress told now and then how many genes are done, or null
     * @return the counts
     * @throws IOException for unreadable input or an unwritable output; bad records are
     *                     {@link dev.scep.formats.text.InputFormatException}s naming the file and record
     */
    public static Summary run(ScepModel model, GenePanel panel, Path vcf, Path out, Options options, Progress progress)
            throws IOException {
        return run(model, panel, vcf, null, null, out, options, progress);
    }

    /**
     * As {@link #run}, for one shard of a job split by genes ({@link dev.scep.runtime.variants.VariantShards}): only
     * the records that start in {@code regions} are read (through the VCF's tabix index), and only {@code genes} are
     * predicted, in that order. The shards' tables, concatenated in shard order with one header (and the genes of
     * {@link dev.scep.runtime.variants.VariantShards#unvisited} last, as a shard without regions), are {@link #run}'s
     * table row for row. The genome-build check ({@link Summary#requireSameBuild}) is the caller's, over the sum of
     * the shards' summaries.
     *
     * @param model    the model
     * @param panel    the genes and the genome around their windows
     * @param vcf      a sorted bgzip VCF with genotypes and a tabix index
     * @param regions  the shard's regions, in file order, in the VCF's contig names (empty: read nothing)
     * @param genes    the shard's genes, in the order the VCF reaches them
     * @param out      the shard's table; refused when it is one of the inputs
     * @param options  threads, mode and half-life source
     * @param progress told now and then how many genes are done, or null
     * @return the shard's counts
     * @throws IOException as {@link #run}
     */
    public static Summary runShard(ScepModel model, GenePanel panel, Path vcf, List<SortedVcf.Region> regions,
                                   List<GenePanel.Gene> genes, Path out, Options options, Progress progress) throws IOException {
        java.util.Objects.requireNonNull(regions, "regions");
        java.util.Objects.requireNonNull(genes, "genes");
        return run(model, panel, vcf, regions, List.copyOf(genes), out, options, progress);
    }

    private static Summary run(ScepModel model, GenePanel panel, Path vcf, List<SortedVcf.Region> regions,
                               List<GenePanel.Gene> only, Path out, Options options, Progress progress) throws IOException {
        java.util.Objects.requireNonNull(options, "options");
        VariantScorer.checkCompatible(model, panel, options.halfLife());
        Progress told = progress != null ? progress : (done, total) -> { };
        long t0 = System.nanoTime();
        int total = only == null ? panel.genes().size() : only.size();
        List<Path> inputs = new ArrayList<>(panel.sources());
        inputs.add(vcf);
        // one GPU for all threads (its engine is not thread-safe: the threads take turns), made before any input is read
        dev.scep.runtime.Predictor gpu = options.device().resolve(note -> org.slf4j.LoggerFactory.getLogger(PersonalGenomes.class)
                .info(note)) == dev.scep.runtime.Device.GPU ? new dev.scep.runtime.gpu.GpuPredictor(model) : null;
        try (gpu; SortedVcf vcfReader = new SortedVcf(vcf, regions);
             OutputFile file = OutputFile.createTable(out, inputs)) {
            List<String> samples = vcfReader.samples();
            if (samples.isEmpty()) {
                throw new InputFormatException(vcf, 0, "the VCF has no samples (sites only): personal predictions need genotypes");
            }
            Writer w = file.writer();
            w.write(PersonalTable.header(model.outputNames()));
            Tally tally = new Tally();
            GenotypeReader reader;
            try (InOrderWorkers<HaplotypePredictor.GeneResult> workers = new InOrderWorkers<>("scep-personal", options.threads(),
                    4 * options.threads(), r -> {
                        w.write(r.rows());
                        tally.haplotypes += r.haplotypes();
                        tally.distinct += r.distinct();
                        told.update(++tally.genes, total);
                    })) {
                Supplier<HaplotypePredictor> predictor = workers.perThread(() -> new HaplotypePredictor(model, panel, options, gpu));
                reader = new GenotypeReader(panel, vcf, options.mode(), samples,
                        (gene, sites) -> workers.submit(() -> predictor.get().predict(gene, sites, samples)), only);
                reader.read(vcfReader);
                workers.finish();
            }
            Summary summary = new Summary(samples.size(), tally.genes, vcfReader.records(), reader.snvAlleles,
                    reader.indelAlleles, reader.mnpAlleles, reader.ambiguousAlleles, reader.symbolicAlleles, reader.mismatches,
                    reader.matched, List.copyOf(reader.examples), reader.missing, tally.haplotypes, tally.distinct,
                    System.nanoTime() - t0);
            if (only == null) {
                summary.requireSameBuild(vcf);
            }
            file.commit();
            return summary;
        } catch (htsjdk.tribble.TribbleException | htsjdk.samtools.SAMException e) {
            throw SortedVcf.unreadable(vcf, e);
        }
    }
}
