package dev.scep.runtime.variants;

import dev.scep.formats.model.ScepModel;
import dev.scep.runtime.HalfLifeInput;
import dev.scep.runtime.Predictor;
import dev.scep.runtime.cpu.Kernels;
import dev.scep.runtime.ism.IncrementalIsm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores genetic variants against every gene window their REF allele overlaps (a deletion that starts before a window
 * and reaches into it included). SNVs take the incremental path (a gene's reference activations are cached, so each
 * SNV costs one incremental step); MNPs (REF and ALT of one length, more than one base) put their substitutions into
 * the window together (the bases that fall in it, when the MNP overlaps its edge) for a full forward pass; indels and
 * other edits are applied to the genome kept around the window ({@link GenePanel#FLANK} nt each side), the window is
 * re-cut with the TSS kept at its position, and both windows go through a full forward pass. An ALT allele with an
 * IUPAC ambiguity code (N and the others) is {@link Ambiguous}: it names no one sequence, so it is not scored. The
 * REF allele is checked against the genome first; a mismatch is reported, never scored.
 * Not thread-safe (it caches per gene); use one scorer per thread.
 */
public final class VariantScorer implements AutoCloseable {
    /**
     * What an allele is: one base for one ({@code SNV}), several bases for as many ({@code MNP}: REF and ALT of equal
     * length, scored as those substitutions applied together), or anything else ({@code INDEL}: insertions, deletions
     * and complex replacements of another length).
     */
    public enum Kind {
        /** One base replaced by one. */
        SNV,
        /** Several bases replaced by as many. */
        MNP,
        /** Any other length: insertions, deletions, complex replacements. */
        INDEL
    }

    /** How half-life features are given to the model. */
    public enum HalfLife {
        /** The five features computed from the annotation (the model must take five). */
        ANNOTATION,
        /** Every feature at its training mean (as Kipoi runs Xpresso). */
        ZEROS
    }

    /**
     * The effect of one allele on one gene.
     *
     * @param gene           the gene whose window the allele changes
     * @param windowPosition 0-based position in the gene's window (transcription orientation) of the allele's first
     *                       base; may lie outside {@code [0, window)} for a deletion that reaches into the window
     * @param kind           SNV, MNP or indel
     * @param delta          per output, mutant − reference (log10 expression, z-score undone)
     */
    public record Effect(GenePanel.Gene gene, int windowPosition, Kind kind, float[] delta) {
        /** Copies the changes. */
        public Effect {
            delta = delta.clone();
        }

        /**
         * The change per output.
         *
         * @return a copy: per output, mutant − reference (log10, z-score undone)
         */
        @Override
        public float[] delta() {
            return delta.clone();
        }

        @Override
        public String toString() {
            return gene + " at window position " + windowPosition + " " + kind + " " + java.util.Arrays.toString(delta);
        }
    }

    /** What happened to one allele. */
    public sealed interface Outcome {
    }

    /**
     * Scored on every gene whose window the allele touches.
     *
     * @param effects one per gene, in genomic order of the windows
     */
    public record Scored(List<Effect> effects) implements Outcome {
        /** Copies the list. */
        public Scored {
            effects = List.copyOf(effects);
        }
    }

    /**
     * Not scored: REF is not the genome's sequence there.
     *
     * @param expected the VCF's REF (upper case)
     * @param genome   the genome's bases at those positions
     */
    public record RefMismatch(String expected, String genome) implements Outcome {
    }

    /**
     * Not scored, for a reason.
     *
     * @param reason in words, e.g. "symbolic or non-nucleotide allele" or "indel longer than 1000 nt"
     */
    public record Skipped(String reason) implements Outcome {
    }

    /** Not scored: the allele touches no gene's window. */
    public record OutsideWindows() implements Outcome {
    }

    /**
     * An ALT allele with an IUPAC ambiguity code (N, R, Y, S, W, K, M, B, D, H, V): it names no one sequence, so it
     * is not scored (wherever it lies) but counted.
     *
     * @param alt the ALT allele (upper case)
     */
    public record Ambiguous(String alt) implements Outcome {
    }

    private static final int CACHE = 64;

    private final ScepModel model;
    private final GenePanel panel;
    private final HalfLife halfLife;
    private final Predictor predictor;
    private final IncrementalIsm ism;
    private final Map<GenePanel.Gene, IncrementalIsm.Gene> warm = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<GenePanel.Gene, IncrementalIsm.Gene> eldest) {
            if (size() > CACHE) {
                evicted = eldest.getValue();   // its buffers serve the next gene prepared
                return true;
            }
            return false;
        }
    };
    private IncrementalIsm.Gene evicted;
    private final Map<GenePanel.Gene, float[]> referencePredictions = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<GenePanel.Gene, float[]> eldest) {
            return size() > CACHE;
        }
    };

    /**
     * A scorer for one thread.
     *
     * @param model    the model
     * @param panel    the genes and the genome around their windows
     * @param halfLife where the half-life features come from
     * @throws IllegalArgumentException when the model cannot score this panel in this mode
     */
    public VariantScorer(ScepModel model, GenePanel panel, HalfLife halfLife) {
        checkCompatible(model, panel, halfLife);
        this.model = model;
        this.panel = panel;
        this.halfLife = halfLife;
        this.predictor = Predictor.of(model, new Predictor.Options(dev.scep.runtime.Backend.AUTO, 1));
        this.ism = IncrementalIsm.supports(model.architecture()) ? new IncrementalIsm(model, Kernels.best(), 1) : null;
    }

    /**
     * Whether REF mismatches say the variants come from another genome build: nine in ten or more of at least ten
     * checked alleles (a few mismatches are ordinary: a VCF's REF may be a minor allele or a patched base).
     *
     * @param mismatches alleles whose REF disagreed with the genome
     * @param checked    alleles whose REF was checked
     * @return whether the VCF is probably from another build
     */
    public static boolean probablyAnotherBuild(long mismatches, long checked) {
        return checked >= 10 && mismatches * 10 >= checked * 9;
    }

    /**
     * Fails when {@link #probablyAnotherBuild}: the one message of every VCF job for a VCF of another genome build.
     *
     * @param vcf         the VCF
     * @param mismatches  REF alleles (or records) that disagree with the genome
     * @param checked     REF alleles (or records) checked against it
     * @param examples    the first few disagreements, as text
     * @param unit        what was counted, e.g. {@code alleles} or {@code records}
     * @param consequence what the job did not do, e.g. {@code nothing was scored}
     * @throws dev.scep.formats.text.InputFormatException naming the file, the counts and the examples
     */
    public static void requireSameBuild(java.nio.file.Path vcf, long mismatches, long checked, List<String> examples,
                                        String unit, String consequence) throws dev.scep.formats.text.InputFormatException {
        if (probablyAnotherBuild(mismatches, checked)) {
            throw new dev.scep.formats.text.InputFormatException(vcf, 0, "REF alleles disagree with the genome at " + mismatches
                    + " of " + checked + " " + unit + " inside gene windows (e.g. " + examples + "): the VCF is probably from"
                    + " another genome build; " + consequence);
        }
    }

    /**
     * Fails with the reason when the model cannot score this panel in this half-life mode.
     *
     * @param model    the model
     * @param panel    the genes
     * @param halfLife the half-life mode
     * @throws IllegalArgumentException naming the mismatch (feature count, window geometry)
     */
    public static void checkCompatible(ScepModel model, GenePanel panel, HalfLife halfLife) {
        if (halfLife == HalfLife.ANNOTATION && model.halfLifeFeatures().size() != 5) {
            throw new IllegalArgumentException("the model takes " + model.halfLifeFeatures().size() + " half-life features, "
                    + "the annotation gives 5: use the zero half-life mode (VariantScorer.HalfLife.ZEROS, --zero-halflife)");
        }
        if (model.encoding().upstream() != panel.geometry().upstream() || model.windowLength() != panel.geometry().length()) {
            throw new IllegalArgumentException("the model's window (" + model.encoding().upstream() + " upstream, "
                    + model.windowLength() + " nt) differs from the panel's");
        }
    }

    private HalfLifeInput halfLifeOf(GenePanel.Gene g) {
        return halfLife == HalfLife.ZEROS ? HalfLifeInput.zeros(model.halfLifeFeatures().size()) : HalfLifeInput.raw(g.halfLife());
    }

    /**
     * Scores allele {@code alt} replacing {@code ref} at 1-based {@code pos} of {@code contig} (VCF conventions) on
     * every gene whose window the REF allele overlaps: {@code [pos, pos + ref.length() - 1]}, so a deletion that starts
     * before a window and reaches into it acts on that window too.
     *
     * @param contig the annotation's contig name
     * @param pos    1-based position of REF's first base
     * @param ref    the reference allele
     * @param alt    the alternative allele
     * @return what happened
     */
    public Outcome score(String contig, long pos, String ref, String alt) {
        if (pos < 1) {
            throw new IllegalArgumentException("a VCF position is 1-based, got " + pos);
        }
        ref = ref.toUpperCase(java.util.Locale.ROOT);
        alt = alt.toUpperCase(java.util.Locale.ROOT);
        if (alt.equals(ref)) {
            return new Skipped("ALT equals REF");
        }
        int altBases = altBases(alt);
        if (altBases == AMBIGUOUS) {
            return new Ambiguous(alt);
        }
        // a single-base REF (every SNV) needs only the windows holding pos; a longer one the windows it overlaps
        List<GenePanel.Gene> genes = ref.length() == 1 ? panel.genesAt(contig, pos)
                : panel.genesOverlapping(contig, pos, pos + ref.length() - 1);
        if (genes.isEmpty()) {
            return new OutsideWindows();
        }
        if (altBases == INVALID || !isNucleotides(ref)) {
            return new Skipped("symbolic or non-nucleotide allele");
        }
        for (GenePanel.Gene g : genes) {   // the edit is applied to the genome kept around each window
            long idx = pos - g.segmentStart();
            if (idx < 0 || idx + ref.length() > g.segmentBases().length) {
                return new Skipped("REF runs past the genome kept around the window");
            }
        }
        GenePanel.Gene first = genes.getFirst();
        int idx = (int) (pos - first.segmentStart());
        if (!first.matchesGenome(pos, ref)) {
            return new RefMismatch(ref, new String(first.segmentBases(), idx, ref.length(), java.nio.charset.StandardCharsets.US_ASCII));
        }
        boolean snv = ref.length() == 1 && alt.length() == 1;
        boolean mnp = !snv && ref.length() == alt.length();
        List<Effect> effects = new ArrayList<>(genes.size());
        for (GenePanel.Gene g : genes) {
            long[] span = panel.windowSpan(g);
            int windowPosition = g.plus() ? (int) (pos - span[0]) : (int) (span[1] - pos);
            if (snv) {
                char base = g.plus() ? alt.charAt(0) : (char) dev.scep.formats.text.Sequences.complement((byte) alt.charAt(0));
                effects.add(new Effect(g, windowPosition, Kind.SNV, snv(g, windowPosition, base)));
                continue;
            }
            if (mnp) {
                effects.add(new Effect(g, windowPosition, Kind.MNP, mnp(g, span, pos, alt)));
                continue;
            }
            if (Math.abs(alt.length() - ref.length()) > GenePanel.FLANK) {
                return new Skipped("indel longer than " + GenePanel.FLANK + " nt");
            }
            long last = pos + ref.length() - 1;
            long tss = g.tss();
            boolean anchoredAtTss = pos == tss && ref.charAt(0) == alt.charAt(0);
            if (pos <= tss && tss <= last && !anchoredAtTss) {
                return new Skipped("indel changes the TSS base itself");
            }
            int gi = (int) (pos - g.segmentStart());
            byte[] edited = new byte[g.segmentBases().length - ref.length() + alt.length()];
            System.arraycopy(g.segmentBases(), 0, edited, 0, gi);
            System.arraycopy(alt.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, edited, gi, alt.length());
            System.arraycopy(g.segmentBases(), gi + ref.length(), edited, gi + alt.length(), g.segmentBases().length - gi - ref.length());
            int tssIndex = (int) (tss - g.segmentStart()) + (last < tss ? alt.length() - ref.length() : 0);
            byte[] mutant = panel.cut(g, edited, tssIndex);
            float[] y = predictor.predict(mutant, halfLifeOf(g));
            float[] r = reference(g);
            float[] d = new float[y.length];
            for (int o = 0; o < d.length; o++) {
                d[o] = y[o] - r[o];
            }
            effects.add(new Effect(g, windowPosition, Kind.INDEL, d));
        }
        return new Scored(effects);
    }

    /**
     * The substitutions of an MNP applied together, each base of {@code alt} that falls in the window at its place
     * (an MNP may overlap the window's edge; nothing shifts), through a full forward pass.
     */
    private float[] mnp(GenePanel.Gene g, long[] span, long pos, String alt) {
        byte[] w = panel.window(g);
        for (int i = 0; i < alt.length(); i++) {
            long p = pos + i;
            long at = g.plus() ? p - span[0] : span[1] - p;
            if (at >= 0 && at < w.length) {
                byte b = (byte) alt.charAt(i);
                w[(int) at] = g.plus() ? b : dev.scep.formats.text.Sequences.complement(b);
            }
        }
        float[] y = predictor.predict(w, halfLifeOf(g));
        float[] r = reference(g);
        for (int o = 0; o < y.length; o++) {
            y[o] -= r[o];
        }
        return y;
    }

    private static final int BASES = 0;
    private static final int AMBIGUOUS = 1;
    private static final int INVALID = 2;

    /** BASES when upper-case {@code alt} is A, C, G and T only; AMBIGUOUS when it has an IUPAC code; else INVALID. */
    private static int altBases(String alt) {
        if (alt.isEmpty()) {
            return INVALID;
        }
        int kind = BASES;
        for (int i = 0; i < alt.length(); i++) {
            char c = alt.charAt(i);
            if (c == 'A' || c == 'C' || c == 'G' || c == 'T') {
                continue;
            }
            if ("NRYSWKMBDHV".indexOf(c) < 0) {
                return INVALID;
            }
            kind = AMBIGUOUS;
        }
        return kind;
    }

    private static boolean isNucleotides(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if ("ACGTN".indexOf(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private float[] snv(GenePanel.Gene g, int position, char base) {
        if (ism == null) {
            byte[] w = panel.window(g);
            w[position] = (byte) base;
            float[] y = predictor.predict(w, halfLifeOf(g));
            float[] r = reference(g);
            for (int o = 0; o < y.length; o++) {
                y[o] -= r[o];
            }
            return y;
        }
        IncrementalIsm.Gene cached = warm.get(g);
        if (cached == null) {
            IncrementalIsm.Gene recycle = evicted;
            evicted = null;
            cached = ism.gene(panel.window(g), halfLifeOf(g), recycle);
            warm.put(g, cached);
        }
        return cached.effect(position, base);
    }

    private float[] reference(GenePanel.Gene g) {
        return referencePredictions.computeIfAbsent(g, x -> predictor.predict(panel.window(x), halfLifeOf(x)));
    }

    /** Releases the predictor and the ISM engine. */
    @Override
    public void close() {
        predictor.close();
        if (ism != null) {
            ism.close();
        }
    }
}
