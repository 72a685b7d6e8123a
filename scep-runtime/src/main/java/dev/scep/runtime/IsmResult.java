package dev.scep.runtime;

import dev.scep.formats.io.OutputFile;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;

/**
 * The substitutions of one window and their effects: entry e is base {@code alt[e]} at window position
 * {@code position[e]}, with {@code delta[e × outputs + o]} the change of output o (mutant − reference, log10
 * expression, z-score undone).
 */
public record IsmResult(List<String> outputs, byte[] reference, int upstream, int[] position, byte[] alt, float[] delta) {

    public int substitutions() {
        return position.length;
    }

    public float delta(int entry, int output) {
        return delta[entry * outputs.size() + output];
    }

    /** Rows {@code id, position, offset, ref, alt, <output>...}; the header only when {@code header}. */
    public void writeTsv(Writer w, String id, boolean header) throws IOException {
        if (header) {
            w.write("id\tposition\toffset\tref\talt");
            for (String o : outputs) {
                w.write('\t');
                w.write(o);
            }
            w.write('\n');
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

    /**
     * A bedGraph of the strongest change per position (largest |delta| over the three alternatives) for one output,
     * in genomic coordinates: the window's TSS is at {@code contig:tss} (1-based) on {@code strand}.
     */
    public void writeBedGraph(Path file, int output, String contig, long tss, boolean plusStrand, Path... inputs)
            throws IOException {
        try (OutputFile f = OutputFile.create(file, inputs)) {
            Writer w = f.writer();
            w.write("track type=bedGraph name=\"scep ISM " + outputs.get(output) + "\"\n");
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

    /** Per window position, the delta of largest magnitude among its substitutions for one output. */
    public float[] strongestPerPosition(int output) {
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
}
