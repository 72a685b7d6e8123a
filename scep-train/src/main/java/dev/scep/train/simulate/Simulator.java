package dev.scep.train.simulate;

import dev.scep.formats.io.OutputFile;
import dev.scep.formats.text.JasparMotif;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Simulates a tissue whose expression has a known regulatory grammar, as files that go through the normal
 * {@code scep prepare} path: a genome FASTA, a GTF, a single-cell count matrix (Matrix Market, gzip) with its gene
 * list, and a cell table. The ground truth goes beside them.
 *
 * <p>The grammar, per gene g and population p, in log10 mean counts per cell:
 * {@code μ[g][p] = base + cpg[p]·CpG[g] + tata[p]·TATA[g] + Σ_m effect[m][p] × copies[g][m] + halfLife[g]}.
 * Background sequence is random (GC 42%); half the promoters are CpG islands (GC 68% from −600 to +400, a shared
 * effect, as in real broadly expressed genes); a TATA box sits 30 nt upstream of some TSSs; motifs are real JASPAR
 * matrices, each copy sampled from its matrix (sharpened towards high-affinity sites) and planted in the promoter
 * (−1,000 … +300, either orientation).
 * Promoter architecture carries most of the signal, as in real tissues: "close" populations (the first half) favour
 * CpG-island promoters, "far" ones (the second half, the rarest) AT-rich, TATA-box promoters, so far populations
 * differ from the tissue average, which the abundant close populations dominate. Two motifs act alike in every population; each far population also has a motif that
 * raises and one that lowers its expression. (With a few thousand genes the scEP network learns promoter
 * architecture but not individual motifs, in scep and in libtorch alike, so motif effects are kept moderate.)
 * The half-life part depends on the 3′ UTR and ORF lengths written in the GTF. Population sizes are skewed, as in
 * real tissues (the far populations are the rare ones); each cell has a size factor; counts are negative binomial
 * (dispersion 0.3) around size factor × 10^μ.
 *
 * <p>Written beside the inputs: {@code truth.tsv} (the noise-free pseudobulk, log10 of the expected mean count per
 * cell of every population and of the whole tissue), {@code motifs.tsv} (every planted copy), {@code effects.tsv}
 * (the effect of every motif in every population).
 *
 * <p>The parts: {@link Grammar} (the grammar and its ground truth), {@link GenomeWriter} (genome, annotation and
 * planted motifs), {@link ExpressionSampler} (cells, counts and the noise-free pseudobulk).
 *
 * <p>Genes are named {@code SIMG00001}…, populations {@code pop1}… (the {@code population} column of
 * {@code cells.tsv}). One seeded random stream draws everything, so the same options give byte-identical files.
 * Stateless: separate runs may go on in parallel in different folders.
 */
public final class Simulator {
    /**
     * What to simulate.
     *
     * @param genes       genes, at least 10
     * @param populations cell populations, at least 2 (the first half "close", the second half "far")
     * @param cells       cells in all, at least 10 per population
     * @param seed        seeds every random draw
     * @param jaspar      a folder of JASPAR {@code .pfm} files; motifs of at least 6 bases are planted (two shared
     *                    ones, SP1 and ELK4 when present, and population-specific ones)
     */
    public record Options(int genes, int populations, int cells, long seed, Path jaspar) {
        /**
         * Checks the sizes.
         *
         * @throws IllegalArgumentException when there are fewer than 10 genes, 2 populations or 10 cells per population
         */
        public Options {
            if (genes < 10 || populations < 2 || cells < populations * 10) {
                throw new IllegalArgumentException("simulate at least 10 genes, 2 populations and 10 cells per population");
            }
        }
    }

    /**
     * What was written.
     *
     * @param fasta              the genome, {@code genome.fa}
     * @param gtf                the annotation, {@code genes.gtf}
     * @param matrix             the counts, {@code matrix.mtx.gz} (genes × cells, with {@code genes.tsv} beside it and
     *                           no barcode list: its columns are the rows of {@code cells.tsv}, in order)
     * @param cells              the cell table, {@code cells.tsv} (columns {@code cell}, {@code population},
     *                           {@code tissue}, {@code class}: {@code close} or {@code far}, so that
     *                           {@code tissue ⊃ class ⊃ population} nest)
     * @param truth              the noise-free pseudobulk, {@code truth.tsv}: log10 expected mean count per cell, per
     *                           population and for the whole tissue ({@code all})
     * @param genes              genes simulated
     * @param cellsPerPopulation cells drawn per population, in population order
     * @param motifs             the planted motifs' names, shared ones first
     * @param nonZero            non-zero entries of the count matrix
     */
    public record Summary(Path fasta, Path gtf, Path matrix, Path cells, Path truth, int genes, int[] cellsPerPopulation,
                          List<String> motifs, long nonZero) {
    }

    private Simulator() {
    }

    /**
     * Simulates a tissue into {@code out}.
     *
     * @param o   what to simulate
     * @param out the output folder (created when its parent exists); files of the same names there are replaced
     * @return what was written
     * @throws dev.scep.formats.text.InputFormatException naming the folder or file when the JASPAR folder holds no
     *                                                    {@code .pfm} file or a malformed one
     * @throws java.nio.file.NoSuchFileException when the parent of {@code out} does not exist
     * @throws IOException when a file cannot be read or written
     */
    public static Summary run(Options o, Path out) throws IOException {
        OutputFile.folder(out);
        SplittableRandom rnd = new SplittableRandom(o.seed());
        Grammar grammar = Grammar.of(JasparMotif.readAll(o.jaspar()), o.populations());
        // one random stream, drawn in this order: cells, then the genome, then the counts
        ExpressionSampler.Cells cells = ExpressionSampler.cells(o.cells(), o.populations(), rnd);
        double[][] mu = GenomeWriter.write(out, o.genes(), grammar, rnd);
        grammar.writeEffects(out.resolve("effects.tsv"));
        long nonZero = ExpressionSampler.writeCounts(out, mu, cells, grammar.far0, rnd);
        Path truth = ExpressionSampler.writeTruth(out.resolve("truth.tsv"), mu, cells);
        return new Summary(out.resolve("genome.fa"), out.resolve("genes.gtf"), out.resolve("matrix.mtx.gz"),
                out.resolve("cells.tsv"), truth, o.genes(), cells.perPopulation(),
                grammar.motifs.stream().map(JasparMotif::name).toList(), nonZero);
    }
}
