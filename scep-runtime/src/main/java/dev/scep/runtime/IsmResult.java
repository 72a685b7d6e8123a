package dev.scep.runtime;

import dev.scep.formats.io.OutputFile;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;

/**
 * The substitutions of one window and their effects: entry e is base {@code alt[e]} at window position
 * {@code position[e]}, with {@code delta[e × outputs + o]} the change of output o (mutant − reference, log10
 * expression, z-score undone). Immutable: the accessors of the arrays return copies.
 *
 * @param outputs   the model's output names
 * @param reference the reference window (ASCII, transcription orientation)
 * @param upstream  bases upstream of the TSS in the window (window position {@code upstream} is the TSS)
 * @param position  per entry, the 0-based window position
 * @param alt       per entry, the substituted base (ASCII)
 * @param delta     per entry and output, mutant − reference
 */
public record IsmResult(List<String> outputs, byte[] reference, int upstream, int[] position, byte[] alt, float[] delta) {
    /** Copies the output names (the arrays are the engines' own, handed over). */
    public IsmResult {
        outputs = List.copyOf(outputs);
    }

    /**
     * The reference window.
     *
     * @return a copy
     */
    @Override
    public byte[] reference() {
        return reference.clone();
    }

    /**
     * The window positions of the entries.
     *
     * @return a copy
     */
    @Override
    public int[] position() {
        return position.clone();
    }

    /**
     * The substituted bases of the entries.
     *
     * @return a copy
     */
    @Override
    public byte[] alt() {
        return alt.clone();
    }

    /**
     * Every entry's changes, entry-major.
     *
     * @return a copy
     */
    @Override
    public float[] delta() {
        return delta.clone();
    }

    /**
     * The number of substitutions.
     *
     * @return entries (three per base; four where the reference is an ambiguity code)
     */
    public int substitutions() {
        return position.length;
    }

    /**
     * One change.
     *
     * @param entry  the substitution
     * @param output the output
     * @return mutant − reference (log10 expression, z-score undone)
     */
    public float delta(int entry, int output) {
        java.util.Objects.checkIndex(entry, position.length);
        checkOutput(output);
        return delta[entry * outputs.size() + output];
    }

    /**
     * Rows {@code id, position, offset, ref, alt, <output>...}; the header only when {@code header}.
     *
     * @param w      where the rows go
     * @param id     the window's id
     * @param header whether to write the header line first
     * @throws IOException when writing fails
     */
    public void writeTsv(Writer w, String id, boolean header) throws IOException {
        if (header) {
            writeHeader(w, "id\tposition\toffset\tref\talt");
        }
        StringBuilder sb = new StringBuilder(256);
        int n = outputs.size();
        for (int e = 0; e < position.length; e++) {
            sb.setLength(0);
            int p = position[e];
            sb.append(id).append('\t').append(p).append('\t').append(p - upstream).append('\t')
                    .append((char) Character.toUpperCase(reference[p])).append('\t').append((char) alt[e]);
            for (int o = 0; o < n; o++) {
                sb.append('\t').append(delta[e * n + o]);
            }
            sb.append('\n');
            w.write(sb.toString());
        }
    }

    /** A header line: the leading columns, then one column per output. */
    private void writeHeader(Writer w, String leading) throws IOException {
        w.write(leading);
        for (String o : outputs) {
            w.write('\t');
            w.write(o);
        }
        w.write('\n');
    }

    /**
     * Rows {@code id, position, offset, ref, <output>...}, one per window position: per output the change of largest
     * magnitude among the position's three substitutions ({@link #strongestPerPosition}); the header only when
     * {@code header}. A quarter of {@link #writeTsv}'s rows, for genome-wide ISM.
     *
     * @param w      where the rows go
     * @param id     the window's id
     * @param header whether to write the header line first
     * @throws IOException when writing fails
     */
    public void writePerPositionTsv(Writer w, String id, boolean header) throws IOException {
        if (header) {
            writeHeader(w, "id\tposition\toffset\tref");
        }
        float[][] strongest = new float[outputs.size()][];
        for (int o = 0; o < strongest.length; o++) {
            strongest[o] = strongestPerPosition(o);
        }
        StringBuilder sb = new StringBuilder(128);
        for (int p = 0; p < reference.length; p++) {
            sb.setLength(0);
            sb.append(id).append('\t').append(p).append('\t').append(p - upstream).append('\t')
                    .append((char) Character.toUpperCase(reference[p]));
            for (float[] s : strongest) {
                sb.append('\t').append(s[p]);
            }
            sb.append('\n');
            w.write(sb.toString());
        }
    }

    /**
     * A bedGraph of the strongest change per position (largest |delta| over the three alternatives) for one output,
     * in genomic coordinates: the window's TSS is at {@code contig:tss} (1-based) on {@code strand}.
     *
     * @param file       the bedGraph to write, atomically
     * @param output     the output index
     * @param contig     the window's contig
     * @param tss        1-based genome position of the window's TSS
     * @param plusStrand whether the gene is on the plus strand
     * @param inputs     files the output must not replace
     * @throws IOException when the file cannot be written
     */
    public void writeBedGraph(Path file, int output, String contig, long tss, boolean plusStrand, Path... inputs)
            throws IOException {
        writeBedGraph(file, output, contig, tss, plusStrand, false, inputs);
    }

    /**
     * As {@link #writeBedGraph(Path, int, String, long, boolean, Path...)}, with a {@code track} line first when asked
     * (genome browsers' custom tracks take one; {@code bedGraphToBigWig} does not, so the plain file has none).
     *
     * @param file       the bedGraph to write, atomically
     * @param output     the output index
     * @param contig     the window's contig
     * @param tss        1-based genome position of the window's TSS
     * @param plusStrand whether the gene is on the plus strand
     * @param trackLine  whether to write a {@code track type=bedGraph} line first
     * @param inputs     files the output must not replace
     * @throws IOException when the file cannot be written
     */
    public void writeBedGraph(Path file, int output, String contig, long tss, boolean plusStrand, boolean trackLine,
                              Path... inputs) throws IOException {
        try (OutputFile f = OutputFile.create(file, inputs)) {
            Writer w = f.writer();
            if (trackLine) {
                w.write("track type=bedGraph name=\"scep ISM " + outputs.get(output) + "\"\n");
            }
            float[] strongest = strongestPerPosition(output);
            long[] start = new long[strongest.length];
            for (int p = 0; p < strongest.length; p++) {
                long genomic1 = plusStrand ? tss + (p - upstream) : tss - (p - upstream);
                start[p] = genomic1 - 1;
            }
            java.util.List<Integer> order = new java.util.ArrayList<>();
            for (int p = 0; p < strongest.length; p++) {
                if (start[p] >= 0) {
                    order.add(p);
                }
            }
            order.sort(java.util.Comparator.comparingLong(p -> start[p]));
            for (int p : order) {
                w.write(contig + "\t" + start[p] + "\t" + (start[p] + 1) + "\t" + strongest[p] + "\n");
            }
            f.commit();
        }
    }

    /**
     * Per window position, the delta of largest magnitude among its substitutions for one output.
     *
     * @param output the output index
     * @return one value per window position
     */
    public float[] strongestPerPosition(int output) {
        checkOutput(output);
        float[] out = new float[reference.length];
        int n = outputs.size();
        for (int e = 0; e < position.length; e++) {
            float d = delta[e * n + output];
            int p = position[e];
            if (Math.abs(d) > Math.abs(out[p])) {
                out[p] = d;
            }
        }
        return out;
    }

    private void checkOutput(int output) {
        if (output < 0 || output >= outputs.size()) {
            throw new IndexOutOfBoundsException("output " + output + " does not exist: the model has " + outputs.size()
                    + " output(s) " + outputs);
        }
    }
}
