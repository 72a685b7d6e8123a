package dev.scep.formats.io;

import dev.scep.formats.annotation.Strand;
import dev.scep.formats.genome.WindowGeometry;
import dev.scep.formats.model.HalfLifeTransform;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@code .sced} dataset. Gene metadata, half-life features and targets are small and given up front; the
 * windows, which are not, are packed to 2 bits per base as they arrive (in any order) into a spool file beside the
 * target, so memory stays at a few bytes per gene whatever the genome. {@link #finish} assembles the file and renames
 * it into place; closing without finishing deletes everything written, leaving an existing target untouched.
 *
 * <p>Genes are addressed by their 0-based index in the list given to the constructor. A writer is not thread-safe:
 * call it from one thread, or synchronise.
 */
public final class ScepDatasetWriter implements Closeable {
    private static final byte[] CODE = new byte[256];

    static {
        java.util.Arrays.fill(CODE, (byte) -1);
        CODE['A'] = 0;
        CODE['C'] = 1;
        CODE['G'] = 2;
        CODE['T'] = 3;
        for (char c : "NRYKMSWBDHV".toCharArray()) {
            CODE[c] = -2;
        }
    }

    private final Path target;
    private final Path[] inputs;
    private List<ScepDataset.Gene> genes;
    private final WindowGeometry geometry;
    private final int stride;
    private final Path spool;
    private final FileChannel spoolChannel;
    private final ByteBuffer packed;
    private List<int[]>[] runs;
    private boolean[] written;
    /** Spool slot of each gene; changes only when {@link #dropUnwritten()} removes genes. */
    private int[] slots;
    private int writtenCount;
    private List<String> halfLifeNames = List.of();
    private HalfLifeTransform halfLifeTransform = HalfLifeTransform.LOG10_PLUS_0_1;
    private double[] halfLife = new double[0];
    private List<ScepDataset.Population> populations = List.of();
    private float[] targets = new float[0];

    /**
     * Starts a dataset: checks the target and makes the window spool beside it.
     *
     * @param target   the {@code .sced} file to write
     * @param geometry the geometry of every window
     * @param genes    the genes, in dataset order
     * @param inputs   the files the dataset is made from; the target must not be one of them (checked here, before any
     *                 work, and again when the file is written)
     * @throws OutputIsInputException when {@code target} is the same file as one of {@code inputs}
     * @throws java.nio.file.NoSuchFileException when the target's folder does not exist
     * @throws IOException            when the spool cannot be created
     */
    @SuppressWarnings("unchecked")
    public ScepDatasetWriter(Path target, WindowGeometry geometry, List<ScepDataset.Gene> genes, Path... inputs)
            throws IOException {
        OutputFile.refuseInputs(target, java.util.Arrays.asList(inputs));
        this.target = target;
        this.inputs = inputs.clone();
        this.genes = List.copyOf(genes);
        this.geometry = geometry;
        this.stride = (geometry.length() + 3) / 4;
        this.spool = TemporaryFiles.beside(target, ".windows.tmp");
        this.spoolChannel = FileChannel.open(spool, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.packed = ByteBuffer.allocate(stride);
        this.runs = new List[genes.size()];
        this.written = new boolean[genes.size()];
        this.slots = java.util.stream.IntStream.range(0, genes.size()).toArray();
    }

    /**
     * Removes the genes whose window was never written (their contig is missing from the genome) with their
     * half-life features and targets; call after all windows and before {@link #finish}. Returns the kept indices.
     *
     * @return the indices, in the gene list as it was before this call, of the genes kept, ascending; the kept genes
     *         are renumbered {@code 0, 1, ...} in that order
     */
    @SuppressWarnings("unchecked")
    public int[] dropUnwritten() {
        int[] kept = java.util.stream.IntStream.range(0, genes.size()).filter(i -> written[i]).toArray();
        int f = halfLifeNames.size();
        int p = populations.size();
        double[] h = new double[kept.length * f];
        float[] t = new float[kept.length * p];
        List<ScepDataset.Gene> g = new ArrayList<>(kept.length);
        List<int[]>[] r = new List[kept.length];
        int[] s = new int[kept.length];
        for (int k = 0; k < kept.length; k++) {
            int i = kept[k];
            g.add(genes.get(i));
            System.arraycopy(halfLife, i * f, h, k * f, f);
            System.arraycopy(targets, i * p, t, k * p, p);
            r[k] = runs[i];
            s[k] = slots[i];
        }
        genes = List.copyOf(g);
        if (halfLife.length > 0) {
            halfLife = h;
        }
        if (targets.length > 0) {
            targets = t;
        }
        runs = r;
        slots = s;
        written = new boolean[kept.length];
        java.util.Arrays.fill(written, true);
        writtenCount = kept.length;
        return kept;
    }

    /**
     * Raw half-life features, gene-major ({@code values[gene * names.size() + feature]}).
     *
     * @param names  the feature names ({@link dev.scep.formats.annotation.HalfLifeFeatures#NAMES} for scEP)
     * @param values raw values (lengths in bases, density in exons per 1,000 coding bases; before
     *               {@code log10(x + 0.1)}), copied
     * @throws IllegalArgumentException when the number of values is not genes × names, or a value is negative or not
     *                                  finite
     */
    public void halfLife(List<String> names, double[] values) {
        halfLife(names, values, HalfLifeTransform.LOG10_PLUS_0_1);
    }

    /**
     * Half-life features, gene-major ({@code values[gene * names.size() + feature]}), that a model transforms with
     * {@code transform} before z-scoring them.
     *
     * @param names     the feature names
     * @param values    the values, copied: raw lengths and densities for {@link HalfLifeTransform#LOG10_PLUS_0_1}
     *                  (then non-negative), or values to take as given for {@link HalfLifeTransform#IDENTITY} (such as
     *                  the inputs the original scEP pipeline fed its network)
     * @param transform the transform of every feature
     * @throws IllegalArgumentException when the number of values is not genes × names, or a value is not finite (or,
     *                                  for {@link HalfLifeTransform#LOG10_PLUS_0_1}, negative)
     */
    public void halfLife(List<String> names, double[] values, HalfLifeTransform transform) {
        if (values.length != (long) names.size() * genes.size()) {
            throw new IllegalArgumentException(values.length + " half-life values for " + genes.size() + " genes × "
                    + names.size() + " features");
        }
        boolean identity = transform == HalfLifeTransform.IDENTITY;
        for (double v : values) {
            if (!Double.isFinite(v) || (!identity && !(v >= 0))) {
                throw new IllegalArgumentException("half-life feature value " + v + " is not finite"
                        + (identity ? "" : " and non-negative"));
            }
        }
        this.halfLifeNames = List.copyOf(names);
        this.halfLifeTransform = transform;
        this.halfLife = values.clone();
    }

    /**
     * Targets, gene-major ({@code values[gene * populations.size() + population]}).
     *
     * @param pops   the populations, in target column order
     * @param values log10 pseudobulk expression per gene and population (see {@link ScepDataset#target}), copied
     * @throws IllegalArgumentException when the number of values is not genes × populations, or a value is not finite
     */
    public void targets(List<ScepDataset.Population> pops, float[] values) {
        if (values.length != (long) pops.size() * genes.size()) {
            throw new IllegalArgumentException(values.length + " targets for " + genes.size() + " genes × " + pops.size()
                    + " populations");
        }
        for (float v : values) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("target " + v + " is not finite");
            }
        }
        this.populations = List.copyOf(pops);
        this.targets = values.clone();
    }

    /**
     * Packs the window of gene {@code index} ({@code geometry.length()} upper-case IUPAC bytes).
     *
     * @param index  0-based gene index
     * @param window the window in transcription orientation, the TSS at position {@code geometry.upstream()}
     *               (DESIGN §3); its first {@code geometry.length()} bytes are read
     * @throws IllegalArgumentException naming the position when a byte is not an upper-case nucleotide code
     * @throws IllegalStateException    when the window of that gene was written already
     * @throws IOException              when the spool cannot be written
     */
    public void window(int index, byte[] window) throws IOException {
        if (written[index]) {
            throw new IllegalStateException("window of gene " + genes.get(index).id() + " written twice");
        }
        int length = geometry.length();
        byte[] p = packed.array();
        java.util.Arrays.fill(p, (byte) 0);
        List<int[]> geneRuns = null;
        for (int i = 0; i < length; i++) {
            byte b = window[i];
            int code = CODE[b & 0xff];
            if (code >= 0) {
                p[i >>> 2] |= (byte) (code << ((i & 3) << 1));
            } else if (code == -2) {
                if (geneRuns == null) {
                    geneRuns = new ArrayList<>();
                }
                int[] last = geneRuns.isEmpty() ? null : geneRuns.getLast();
                if (last != null && last[0] + last[1] == i && last[2] == b) {
                    last[1]++;
                } else {
                    geneRuns.add(new int[]{i, 1, b});
                }
            } else {
                throw new IllegalArgumentException("window position " + i + " holds '" + (char) (b & 0xff)
                        + "' (byte " + (b & 0xff) + "), which is not a nucleotide code");
            }
        }
        packed.clear();
        long pos = (long) index * stride;
        while (packed.hasRemaining()) {
            pos += spoolChannel.write(packed, pos);
        }
        runs[index] = geneRuns;
        written[index] = true;
        writtenCount++;
    }

    /**
     * Writes the file with {@code metadata} (plus the fingerprint) and renames it into place. The writer is closed
     * afterwards, whether or not this succeeds.
     *
     * @param metadata free-form entries (sources and their digests, options, scep version), in the order to store them
     * @return the fingerprint, also stored as metadata {@code fingerprint}: 32 hexadecimal digits
     * @throws IllegalStateException  when a window was never written or the half-life features are missing
     * @throws OutputIsInputException when the target has become one of the inputs
     * @throws IOException            when the file cannot be written
     */
    public String finish(Map<String, String> metadata) throws IOException {
        if (writtenCount != genes.size()) {
            for (int i = 0; i < written.length; i++) {
                if (!written[i]) {
                    throw new IllegalStateException((genes.size() - writtenCount) + " of " + genes.size()
                            + " windows were never written, the first for gene " + genes.get(i).id());
                }
            }
        }
        if (halfLife.length == 0 && !genes.isEmpty() && !halfLifeNames.isEmpty()) {
            throw new IllegalStateException("half-life features missing");
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] gene = encodeGenes();
        byte[] half = encodeHalfLife();
        byte[] pops = encodePopulations();
        byte[] trgt = encodeTargets();
        byte[] ambg = encodeRuns();
        byte[] windHeader = ByteBuffer.allocate(ScepDataset.WIND_HEADER).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(geometry.upstream()).putInt(geometry.downstream()).putInt(stride).putInt(0).array();
        long windLength = windHeader.length + (long) stride * genes.size();
        try (SectionedFile.Writer w = new SectionedFile.Writer(target, ScepDataset.KIND, ScepDataset.SECTIONS.size(), inputs)) {
            for (byte[] b : List.of(gene, half, pops, trgt)) {
                digest.update(b);
            }
            w.section("GENE", gene);
            w.section("HALF", half);
            w.section("POPS", pops);
            w.section("TRGT", trgt);
            w.section("WIND", windLength, (channel, crc) -> {
                crc.update(windHeader);
                digest.update(windHeader);
                channel.write(ByteBuffer.wrap(windHeader));
                ByteBuffer buf = ByteBuffer.allocate(stride);
                for (int slot : slots) {
                    buf.clear();
                    long pos = (long) slot * stride;
                    while (buf.hasRemaining()) {
                        int n = spoolChannel.read(buf, pos + buf.position());
                        if (n < 0) {
                            throw new IOException("window spool " + spool + " ended early");
                        }
                    }
                    buf.flip();
                    crc.update(buf.duplicate());
                    digest.update(buf.duplicate());
                    while (buf.hasRemaining()) {
                        channel.write(buf);
                    }
                }
            });
            digest.update(ambg);
            w.section("AMBG", ambg);
            String fingerprint = HexFormat.of().formatHex(digest.digest(), 0, 16);
            Map<String, String> meta = new LinkedHashMap<>(metadata);
            meta.put("fingerprint", fingerprint);
            LittleEndianBuilder m = new LittleEndianBuilder().i32(meta.size());
            meta.forEach((k, v) -> m.string(k).string(v));
            w.section("META", m.toByteArray());
            w.commit();
            return fingerprint;
        } finally {
            close();
        }
    }

    private byte[] encodeGenes() {
        LittleEndianBuilder b = new LittleEndianBuilder().i32(genes.size());
        for (ScepDataset.Gene g : genes) {
            b.string(g.id()).string(g.name() == null ? "" : g.name()).string(g.transcriptId()).string(g.contig())
                    .i64(g.tss()).u8(g.strand() == Strand.PLUS ? 0 : 1);
        }
        return b.toByteArray();
    }

    private byte[] encodeHalfLife() {
        LittleEndianBuilder b = new LittleEndianBuilder().i32(halfLifeNames.size());
        for (String n : halfLifeNames) {
            b.string(n).u8(halfLifeTransform == HalfLifeTransform.IDENTITY ? ScepDataset.TRANSFORM_IDENTITY
                    : ScepDataset.TRANSFORM_LOG10_PLUS_0_1);
        }
        for (double v : halfLife) {
            b.f64(v);
        }
        return b.toByteArray();
    }

    private byte[] encodePopulations() {
        LittleEndianBuilder b = new LittleEndianBuilder().i32(populations.size());
        for (ScepDataset.Population p : populations) {
            b.string(p.name()).string(p.level()).i64(p.cells()).i32(p.genesNonZero()).u8(p.bulk() ? 1 : 0);
        }
        return b.toByteArray();
    }

    private byte[] encodeTargets() {
        LittleEndianBuilder b = new LittleEndianBuilder();
        for (float v : targets) {
            b.f32(v);
        }
        return b.toByteArray();
    }

    private byte[] encodeRuns() {
        LittleEndianBuilder b = new LittleEndianBuilder().i32(genes.size());
        long offset = 0;
        for (List<int[]> r : runs) {
            b.i64(offset);
            offset += r == null ? 0 : r.size();
        }
        b.i64(offset);
        for (List<int[]> r : runs) {
            if (r != null) {
                for (int[] run : r) {
                    b.i32(run[0]).i32(run[1]).u8(run[2]);
                }
            }
        }
        return b.toByteArray();
    }

    @Override
    public void close() throws IOException {
        spoolChannel.close();
        TemporaryFiles.delete(spool);
    }
}
