package dev.scep.formats.io;

import dev.scep.formats.annotation.Strand;
import dev.scep.formats.genome.WindowGeometry;
import dev.scep.formats.model.HalfLifeTransform;
import dev.scep.formats.text.TsvField;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A prepared training set, the {@code .sced} file (specification: {@code formats/FORMAT.md}, "The dataset file"):
 * per gene its TSS window (2-bit packed, memory-mapped, ambiguous bases in a side list), raw half-life features
 * and pseudobulk targets per population, plus the population report and a content fingerprint that models record
 * as provenance. Written by {@link ScepDatasetWriter}; immutable and safe to share between threads once opened.
 *
 * <p>Genes, populations and half-life features are addressed by 0-based index into {@link #genes()},
 * {@link #populations()} and {@link #halfLifeNames()}. Windows are in transcription orientation: window position
 * {@code i} (0-based) is transcription offset {@code i − geometry().upstream()} from the TSS (DESIGN §3).
 */
public final class ScepDataset {
    static final byte[] MAGIC = {(byte) 0x89, 'S', 'C', 'E', 'D', '\r', '\n', 0x1a};
    static final byte[] FOOTER_MAGIC = {'S', 'C', 'E', 'D', 'E', 'N', 'D', '\n'};
    /** The newest dataset format version this code reads, and the one it writes. */
    public static final int FORMAT_VERSION = 1;
    static final List<String> SECTIONS = List.of("GENE", "HALF", "POPS", "TRGT", "WIND", "AMBG", "META");
    static final SectionedFile.Kind KIND = new SectionedFile.Kind("scep dataset file", MAGIC, FOOTER_MAGIC, FORMAT_VERSION,
            SECTIONS, DatasetFormatException::new);
    static final int WIND_HEADER = 16;
    static final int RUN_BYTES = 9;
    static final int TRANSFORM_LOG10_PLUS_0_1 = 1;
    static final int TRANSFORM_IDENTITY = 0;
    private static final String CODES = "ACGT";
    /** 2-bit code → base, and for a packed byte its four bases (lowest bits first). */
    private static final byte[][] UNPACK = new byte[256][4];

    static {
        for (int b = 0; b < 256; b++) {
            for (int k = 0; k < 4; k++) {
                UNPACK[b][k] = (byte) CODES.charAt((b >>> (2 * k)) & 3);
            }
        }
    }

    /**
     * One gene: its id and name, the transcript whose TSS defines the window, and where that TSS is (1-based).
     * Immutable.
     *
     * @param id           the gene id
     * @param name         the gene symbol; null or empty when the annotation has none (a dataset read back gives
     *                     empty)
     * @param transcriptId the transcript whose TSS the window is cut around
     * @param contig       the contig, as the annotation names it
     * @param tss          1-based genome position of the TSS base, in plus-strand coordinates
     * @param strand       the strand of transcription
     */
    public record Gene(String id, String name, String transcriptId, String contig, long tss, Strand strand) {
    }

    /**
     * One population (a target column). {@code level} is the annotation column that defined it; nested populations
     * are named by their path ({@code muscle/myotube}). {@code cells} counts cells (or bulk samples), and
     * {@code genesNonZero} the genes expressed in at least one of them; both drive how well a population can be learned.
     * Immutable.
     *
     * @param name         the population's name (the target column)
     * @param level        the annotation column that defined it
     * @param cells        the number of cells (or bulk samples) aggregated
     * @param genesNonZero the number of genes expressed in at least one of them
     * @param bulk         whether the targets aggregate bulk samples rather than cells (unexpressed genes then get −3
     *                     instead of −4)
     */
    public record Population(String name, String level, long cells, int genesNonZero, boolean bulk) {
        /** The target of a gene expressed in none of the population's cells (DESIGN §3). */
        float unexpressedValue() {
            return bulk ? -3f : -4f;
        }
    }

    private final Path file;
    private final List<Gene> genes;
    private final List<String> halfLifeNames;
    private final List<HalfLifeTransform> halfLifeTransforms;
    private final double[] halfLife;
    private final List<Population> populations;
    private final float[] targets;
    private final WindowGeometry geometry;
    private final int stride;
    private final MemorySegment windows;
    private final long[] runOffsets;
    private final MemorySegment runs;
    private final Map<String, String> metadata;

    private ScepDataset(Path file, List<Gene> genes, List<String> halfLifeNames, List<HalfLifeTransform> halfLifeTransforms,
                        double[] halfLife,
                        List<Population> populations, float[] targets, WindowGeometry geometry, int stride,
                        MemorySegment windows, long[] runOffsets, MemorySegment runs, Map<String, String> metadata) {
        this.file = file;
        this.genes = genes;
        this.halfLifeNames = halfLifeNames;
        this.halfLifeTransforms = halfLifeTransforms;
        this.halfLife = halfLife;
        this.populations = populations;
        this.targets = targets;
        this.geometry = geometry;
        this.stride = stride;
        this.windows = windows;
        this.runOffsets = runOffsets;
        this.runs = runs;
        this.metadata = metadata;
    }

    /**
     * The file the dataset was read from.
     *
     * @return the {@code .sced} file, as {@link #open} was given it
     */
    public Path file() {
        return file;
    }

    /**
     * The number of genes.
     *
     * @return {@code genes().size()}
     */
    public int geneCount() {
        return genes.size();
    }

    /**
     * The genes, in dataset order (the order of every per-gene value).
     *
     * @return an immutable list
     */
    public List<Gene> genes() {
        return genes;
    }

    /**
     * The geometry of every window.
     *
     * @return bases upstream and downstream of the TSS
     */
    public WindowGeometry geometry() {
        return geometry;
    }

    /**
     * Half-life feature names; the values are raw (before their {@link #halfLifeTransform transform} and z-scoring).
     *
     * @return an immutable list, in feature index order (empty when the dataset stores no features)
     */
    public List<String> halfLifeNames() {
        return halfLifeNames;
    }

    /**
     * The transform a model applies to a feature before z-scoring it: {@link HalfLifeTransform#LOG10_PLUS_0_1} for
     * the raw lengths and densities {@code scep prepare} computes, {@link HalfLifeTransform#IDENTITY} for values
     * stored as some other pipeline fed them to its network ({@code scep import-h5-dataset}).
     *
     * @param feature 0-based feature index, {@code < halfLifeNames().size()}
     * @return the feature's transform
     */
    public HalfLifeTransform halfLifeTransform(int feature) {
        return halfLifeTransforms.get(feature);
    }

    /**
     * One raw half-life feature: a length in bases, or the exon-junction density (exons per 1,000 coding bases); for
     * a feature with the {@link HalfLifeTransform#IDENTITY identity} transform, the value as given.
     *
     * @param gene    0-based gene index, {@code < geneCount()}
     * @param feature 0-based feature index, {@code < halfLifeNames().size()}
     * @return the finite raw value: non-negative unless the feature's transform is the identity
     */
    public double rawHalfLife(int gene, int feature) {
        return halfLife[gene * halfLifeNames.size() + feature];
    }

    /**
     * The populations, in target column order.
     *
     * @return an immutable list (empty when the dataset was prepared without expression)
     */
    public List<Population> populations() {
        return populations;
    }

    /**
     * The training target of one gene in one population (DESIGN §3).
     *
     * @param gene       0-based gene index, {@code < geneCount()}
     * @param population 0-based population index, {@code < populations().size()}
     * @return log10 pseudobulk expression (not z-scored); {@link Population#bulk() bulk} ? −3 : −4 where the gene is
     *         expressed in none of the population's cells
     */
    public float target(int gene, int population) {
        return targets[gene * populations.size() + population];
    }

    /**
     * Free-form metadata: sources and their digests, options, scep version, and {@code fingerprint}.
     *
     * @return an immutable map, in the order it was written
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * A digest of the content (genes, windows, features, targets, populations); models record it as provenance.
     *
     * @return 32 hexadecimal digits (the first 16 bytes of a SHA-256), or null when the metadata lacks it
     */
    public String fingerprint() {
        return metadata.get("fingerprint");
    }

    /**
     * Bytes per packed window: 4 bases per byte.
     *
     * @return {@code (geometry().length() + 3) / 4}
     */
    public int packedStride() {
        return stride;
    }

    /** The packed window of {@code gene}: base i has 2-bit code (A 0, C 1, G 2, T 3) at bits 2(i mod 4) of byte i/4. */
    MemorySegment packedWindow(int gene) {
        return windows.asSlice((long) gene * stride, stride);
    }

    /**
     * The window of {@code gene} as upper-case ASCII, ambiguous bases restored, into {@code dst[0, length)}.
     *
     * @param gene 0-based gene index, {@code < geneCount()}
     * @param dst  receives the window: at least {@code geometry().length()} bytes; position
     *             {@code geometry().upstream()} is the TSS
     */
    public void window(int gene, byte[] dst) {
        int length = geometry.length();
        MemorySegment packed = packedWindow(gene);
        int full = length / 4;
        for (int j = 0; j < full; j++) {
            System.arraycopy(UNPACK[packed.get(ValueLayout.JAVA_BYTE, j) & 0xff], 0, dst, 4 * j, 4);
        }
        for (int i = 4 * full; i < length; i++) {
            dst[i] = UNPACK[packed.get(ValueLayout.JAVA_BYTE, i / 4) & 0xff][i % 4];
        }
        for (long r = runOffsets[gene]; r < runOffsets[gene + 1]; r++) {
            long at = r * RUN_BYTES;
            int start = runs.get(I32, at);
            int len = runs.get(I32, at + 4);
            byte code = runs.get(ValueLayout.JAVA_BYTE, at + 8);
            java.util.Arrays.fill(dst, start, start + len, code);
        }
    }

    /**
     * The window of {@code gene}, as {@link #window(int, byte[])} writes it.
     *
     * @param gene 0-based gene index, {@code < geneCount()}
     * @return a new array of {@code geometry().length()} upper-case IUPAC bytes, the TSS at position
     *         {@code geometry().upstream()}
     */
    public byte[] window(int gene) {
        byte[] w = new byte[geometry.length()];
        window(gene, w);
        return w;
    }

    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** A name that goes into tables (ids, populations, features): read and held to {@link TsvField}'s rule. */
    private static String name(SectionReader r, String what, int index) throws FileFormatException {
        String v = r.string(what);
        String problem = TsvField.problem(what + " " + index, v);
        if (problem != null) {
            throw r.error(problem);
        }
        return v;
    }

    // ------------------------------------------------------------------------------------------------ reading

    /**
     * Opens (memory-maps) a dataset file, checking every checksum and the consistency of its parts. The mapping stays
     * alive as long as the dataset is reachable.
     *
     * @param file a {@code .sced} file
     * @return the dataset
     * @throws DatasetFormatException naming the file when it is not a dataset file, has a newer format version, or is
     *                                truncated, corrupted or inconsistent
     * @throws java.nio.file.NoSuchFileException when the file does not exist
     * @throws java.nio.file.FileSystemException when it is a folder or not a regular file (a pipe or device)
     * @throws IOException            when it cannot be read or mapped
     */
    public static ScepDataset open(Path file) throws IOException {
        MemorySegment seg = SectionedFile.map(file, "dataset file");
        try {
            return decode(file, seg);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            // every field is checked above; this is the last line of defence against a corruption not foreseen
            throw new DatasetFormatException(file, "corrupted: " + e.getMessage());
        }
    }

    /** Decodes a mapped (or in-memory) file; the fuzz tests call it directly, without {@link #open}'s last line of defence. */
    static ScepDataset decode(Path file, MemorySegment seg) throws FileFormatException {
        Map<String, SectionReader> s = SectionedFile.read(file, seg, KIND);

        SectionReader g = s.get("GENE");
        // every gene takes at least 25 bytes (four string lengths, TSS, strand): a count beyond that is corrupt
        int n = g.count("gene count", 1 << 26, 25);
        List<Gene> genes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = name(g, "gene id", i);
            String name = name(g, "gene name", i);
            String transcript = name(g, "transcript id", i);
            String contig = name(g, "contig", i);
            long tss = g.i64("tss");
            int strand = g.u8("strand");
            if (strand > 1 || tss < 1) {
                throw g.error("gene " + id + " has strand code " + strand + " and TSS " + tss);
            }
            genes.add(new Gene(id, name, transcript, contig, tss, strand == 0 ? Strand.PLUS : Strand.MINUS));
        }
        g.expectEnd();

        SectionReader h = s.get("HALF");
        int features = h.count("feature count", 64, 5);
        List<String> names = new ArrayList<>(features);
        List<HalfLifeTransform> transforms = new ArrayList<>(features);
        for (int k = 0; k < features; k++) {
            names.add(name(h, "feature name", k));
            int transform = h.u8("feature transform");
            if (transform != TRANSFORM_LOG10_PLUS_0_1 && transform != TRANSFORM_IDENTITY) {
                throw h.error("feature " + names.getLast() + " has unknown transform code " + transform);
            }
            transforms.add(transform == TRANSFORM_IDENTITY ? HalfLifeTransform.IDENTITY : HalfLifeTransform.LOG10_PLUS_0_1);
        }
        if ((long) n * features * Double.BYTES != h.remaining()) {
            throw h.error("holds " + h.remaining() + " bytes of half-life values; " + n + " genes x " + features
                    + " features need " + (long) n * features * Double.BYTES);
        }
        double[] halfLife = new double[n * features];
        for (int i = 0; i < halfLife.length; i++) {
            halfLife[i] = h.f64("half-life value");
            boolean identity = transforms.get(i % features) == HalfLifeTransform.IDENTITY;
            if (!Double.isFinite(halfLife[i]) || (!identity && !(halfLife[i] >= 0))) {
                throw h.error("half-life feature " + names.get(i % features) + " of gene " + genes.get(i / features).id()
                        + " is " + halfLife[i] + "; expected a finite" + (identity ? "" : ", non-negative") + " value");
            }
        }
        h.expectEnd();

        SectionReader p = s.get("POPS");
        int pops = p.count("population count", 1 << 20, 21);
        List<Population> populations = new ArrayList<>(pops);
        java.util.Set<String> popNames = new java.util.HashSet<>();
        for (int k = 0; k < pops; k++) {
            String name = name(p, "population name", k);
            String level = name(p, "population level", k);
            long cells = p.i64("cells");
            int nonZero = p.i32("genes non-zero");
            int bulk = p.u8("bulk flag");
            if (cells < 0 || nonZero < 0 || bulk > 1) {
                throw p.error("population " + name + " has " + cells + " cells, " + nonZero + " genes non-zero and bulk flag "
                        + bulk);
            }
            if (!popNames.add(name)) {
                throw p.error("population " + name + " appears twice");
            }
            populations.add(new Population(name, level, cells, nonZero, bulk == 1));
        }
        p.expectEnd();

        SectionReader t = s.get("TRGT");
        if ((long) n * pops * Float.BYTES != t.remaining()) {
            throw t.error("holds " + t.remaining() + " bytes of targets; " + n + " genes x " + pops + " populations need "
                    + (long) n * pops * Float.BYTES);
        }
        float[] targets = new float[n * pops];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = t.f32("target");
            if (!Float.isFinite(targets[i])) {
                throw t.error("target of gene " + genes.get(i / pops).id() + " in " + populations.get(i % pops).name()
                        + " is " + targets[i]);
            }
        }
        t.expectEnd();

        SectionReader w = s.get("WIND");
        int upstream = w.i32("upstream");
        int downstream = w.i32("downstream");
        int stride = w.i32("stride");
        w.i32("reserved");
        WindowGeometry geometry;
        try {
            geometry = new WindowGeometry(upstream, downstream);
        } catch (IllegalArgumentException e) {
            throw w.error(e.getMessage());
        }
        if (stride != (geometry.length() + 3) / 4) {
            throw w.error("stride " + stride + " does not fit windows of " + geometry.length() + " bases");
        }
        MemorySegment wp = w.payloadSegment();
        if (wp.byteSize() != WIND_HEADER + (long) stride * n) {
            throw w.error("holds " + (wp.byteSize() - WIND_HEADER) + " bytes of windows; " + n + " genes need " + (long) stride * n);
        }
        MemorySegment windows = wp.asSlice(WIND_HEADER);

        SectionReader a = s.get("AMBG");
        if (a.count("gene count", 1 << 26) != n) {
            throw a.error("side list is for a different number of genes than " + n);
        }
        if (a.remaining() < 8L * (n + 1)) {
            throw a.error("holds " + a.remaining() + " bytes, too few for the run offsets of " + n + " genes");
        }
        long[] offsets = new long[n + 1];
        for (int i = 0; i <= n; i++) {
            offsets[i] = a.i64("run offset");
        }
        MemorySegment ap = a.payloadSegment();
        long runsStart = 4 + 8L * (n + 1);
        MemorySegment runs = ap.asSlice(runsStart);
        if (offsets[0] != 0 || offsets[n] < 0 || offsets[n] > runs.byteSize() / RUN_BYTES
                || offsets[n] * RUN_BYTES != runs.byteSize()) {
            throw a.error("run offsets do not cover the " + runs.byteSize() / RUN_BYTES + " runs");
        }
        for (int i = 0; i < n; i++) {   // all offsets first: a gene's runs are read only once they are known to exist
            if (offsets[i + 1] < offsets[i] || offsets[i + 1] > offsets[n]) {
                throw a.error("run offset of gene " + (i + 1) + " (" + offsets[i + 1] + ") lies outside "
                        + offsets[i] + ".." + offsets[n]);
            }
        }
        for (int i = 0; i < n; i++) {
            int end = 0;
            for (long r = offsets[i]; r < offsets[i + 1]; r++) {
                int start = runs.get(I32, r * RUN_BYTES);
                int len = runs.get(I32, r * RUN_BYTES + 4);
                byte code = runs.get(ValueLayout.JAVA_BYTE, r * RUN_BYTES + 8);
                if (start < end || len < 1 || (long) start + len > geometry.length() || "NRYKMSWBDHV".indexOf(code) < 0) {
                    throw a.error("ambiguous run " + r + " of gene " + genes.get(i).id() + " (start " + start + ", length "
                            + len + ", code " + code + ") is out of order, out of the window or not an ambiguity code");
                }
                end = start + len;
            }
        }

        SectionReader m = s.get("META");
        int entries = m.count("metadata entries", 1 << 16, 8);
        Map<String, String> meta = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
            meta.put(m.string("key"), m.string("value"));
        }
        m.expectEnd();
        return new ScepDataset(file, List.copyOf(genes), List.copyOf(names), List.copyOf(transforms), halfLife, List.copyOf(populations), targets,
                geometry, stride, windows, offsets, runs, java.util.Collections.unmodifiableMap(meta));
    }
}
