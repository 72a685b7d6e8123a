package dev.scep.formats.scep;

import dev.scep.formats.Memory;
import dev.scep.formats.genome.WindowGeometry;
import dev.scep.formats.hdf5.Hdf5Files;
import dev.scep.formats.text.InputFormatException;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.EnumDataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;

import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dataset file of the original scEP pipeline ({@code human_seq_hl.h5}, {@code mouse_seq_hl.h5}; DESIGN §9): an
 * HDF5 file with
 * <ul>
 *     <li>{@code promoter}: genes × L × 4, one-hot over the channels A, C, T, G (bool, any integer type or float);
 *     a position with no hot channel is {@code N}, one with more than one is an error;</li>
 *     <li>{@code data}: genes × f (five in scEP) half-life inputs, exactly as the original fed them to its network;</li>
 *     <li>{@code geneName}: genes strings (bytes or text), the gene of each row.</li>
 * </ul>
 * Row {@code i} of the three is gene {@code i}. {@link #open} reads {@code data} and {@code geneName} and checks the
 * shapes; {@link #windows} then streams the windows out of {@code promoter} a block of rows at a time (a chunk's rows
 * for a chunked dataset), so memory stays at one block whatever the number of genes: the real files are tens of GB.
 *
 * <p>Not thread-safe: read it from one thread. Close it when done.
 */
public final class OriginalScepDataset implements Closeable {
    /** The one-hot channel order of {@code promoter}. */
    public static final String CHANNELS = "ACTG";
    /** The TSS's index along {@code promoter}'s second axis in the original files. */
    public static final int ORIGINAL_TSS_INDEX = 70_000;
    private static final int MAX_GENES = 1 << 26;
    private static final int MAX_FEATURES = 64;
    /** Elements read per block from a dataset that is not chunked. */
    private static final long CONTIGUOUS_BLOCK = 1 << 22;

    private final Path file;
    private final HdfFile hdf;
    private final Dataset promoter;
    private final int genes;
    private final int length;
    private final List<String> geneNames;
    private final double[] halfLife;
    private final int features;

    private OriginalScepDataset(Path file, HdfFile hdf, Dataset promoter, int genes, int length, List<String> geneNames,
                                double[] halfLife, int features) {
        this.file = file;
        this.hdf = hdf;
        this.promoter = promoter;
        this.genes = genes;
        this.length = length;
        this.geneNames = geneNames;
        this.halfLife = halfLife;
        this.features = features;
    }

    /**
     * Opens a file and reads its gene names and half-life inputs; the promoter array is only checked, not read.
     *
     * @param file the HDF5 file
     * @return the open dataset; the caller closes it
     * @throws InputFormatException naming the file and dataset when {@code promoter}, {@code data} or {@code geneName}
     *                              is missing or has the wrong rank, type or width, their row counts differ, a gene
     *                              name is empty, repeated or holds a tab or line break, a half-life input is not
     *                              finite, the file is not HDF5 or is damaged, or the arrays would not fit in memory
     * @throws java.nio.file.NoSuchFileException when the file does not exist
     * @throws IOException          when it cannot be read
     */
    public static OriginalScepDataset open(Path file) throws IOException {
        HdfFile hdf;
        try {
            hdf = Hdf5Files.open(file);
        } catch (RuntimeException e) {
            throw unreadable(file, e);
        }
        try {
            Dataset promoter = dataset(hdf, file, "promoter");
            long[] p = promoter.getDimensionsAsLong();
            if (p.length != 3 || p[2] != CHANNELS.length()) {
                throw new InputFormatException(file, 0, "dataset promoter has shape " + Arrays.toString(p)
                        + "; expected genes × length × 4 (one-hot A, C, T, G)");
            }
            if (p[0] > MAX_GENES || p[1] > Integer.MAX_VALUE / 8) {
                throw new InputFormatException(file, 0, "dataset promoter has shape " + Arrays.toString(p) + ", more than scep reads");
            }
            elementSize(promoter, file);
            int genes = (int) p[0];
            Dataset data = dataset(hdf, file, "data");
            long[] d = data.getDimensionsAsLong();
            if (d.length != 2 || d[1] < 1 || d[1] > MAX_FEATURES) {
                throw new InputFormatException(file, 0, "dataset data has shape " + Arrays.toString(d)
                        + "; expected genes × half-life inputs (at most " + MAX_FEATURES + ")");
            }
            Dataset names = dataset(hdf, file, "geneName");
            long[] n = names.getDimensionsAsLong();
            if (n.length != 1) {
                throw new InputFormatException(file, 0, "dataset geneName has shape " + Arrays.toString(n) + "; expected one name per gene");
            }
            if (d[0] != genes || n[0] != genes) {
                throw new InputFormatException(file, 0, "row counts differ: promoter has " + genes + " genes, data "
                        + d[0] + " rows and geneName " + n[0] + " names; every row is a gene, so they must be equal");
            }
            int features = (int) d[1];
            Memory.require(Memory.times(Memory.times(genes, features), 16) + Memory.times(genes, 64),
                    "reading data and geneName of " + file);
            double[] halfLife = halfLifeInputs(data, genes, features, file);
            List<String> geneNames = geneNames(names, genes, file);
            return new OriginalScepDataset(file, hdf, promoter, genes, (int) p[1], geneNames, halfLife, features);
        } catch (InputFormatException | RuntimeException e) {
            hdf.close();
            if (e instanceof RuntimeException r && !(r instanceof Memory.NotEnoughMemoryException)) {
                throw unreadable(file, r);
            }
            throw e;
        }
    }

    private static InputFormatException unreadable(Path file, RuntimeException e) {
        return new InputFormatException(file, 0, "cannot read it as the original scEP HDF5 dataset: "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }

    private static Dataset dataset(HdfFile hdf, Path file, String name) throws InputFormatException {
        Node node = hdf.getChild(name);
        if (node == null) {
            throw new InputFormatException(file, 0, "no dataset '" + name + "' in the file: not an original scEP dataset"
                    + " (expected promoter, data and geneName)");
        }
        if (!(node instanceof Dataset ds)) {
            throw new InputFormatException(file, 0, "'" + name + "' is a group, not a dataset");
        }
        return ds;
    }

    /** Bytes per element of {@code promoter}: bool (an enum over int8), an integer or a float. */
    private static int elementSize(Dataset promoter, Path file) throws InputFormatException {
        DataType t = promoter.getDataType();
        DataType base = t instanceof EnumDataType e ? e.getBaseType() : t;
        if (!(base instanceof FixedPoint || base instanceof FloatingPoint) || !Arrays.asList(1, 2, 4, 8).contains(base.getSize())
                || (base instanceof FloatingPoint && base.getSize() == 1)) {
            throw new InputFormatException(file, 0, "dataset promoter holds " + t.getClass().getSimpleName() + " of "
                    + t.getSize() + " bytes; expected bool, an integer or a float type");
        }
        return base.getSize();
    }

    private static double[] halfLifeInputs(Dataset data, int genes, int features, Path file) throws InputFormatException {
        Object raw = data.getData();
        double[] out = new double[genes * features];
        for (int g = 0; g < genes; g++) {
            Object row = Array.get(raw, g);
            for (int k = 0; k < features; k++) {
                Object v = Array.get(row, k);
                if (!(v instanceof Number num)) {
                    throw new InputFormatException(file, 0, "dataset data holds " + v.getClass().getSimpleName() + "; expected numbers");
                }
                double x = num.doubleValue();
                if (!Double.isFinite(x)) {
                    throw new InputFormatException(file, 0, "dataset data: half-life input " + k + " of row " + g + " is " + x);
                }
                out[g * features + k] = x;
            }
        }
        return out;
    }

    private static List<String> geneNames(Dataset names, int genes, Path file) throws InputFormatException {
        Object raw = names.getData();
        List<String> out = new ArrayList<>(genes);
        Map<String, Integer> seen = new HashMap<>();
        for (int g = 0; g < genes; g++) {
            Object v = Array.get(raw, g);
            String name = v instanceof String s ? s.strip() : v instanceof byte[] b
                    ? new String(b, java.nio.charset.StandardCharsets.UTF_8).strip() : String.valueOf(v);
            int bad = dev.scep.formats.text.TsvField.firstBadChar(name);
            if (name.isEmpty() || bad >= 0 || name.startsWith(">")) {
                throw new InputFormatException(file, 0, "dataset geneName: row " + g + " holds '" + name
                        + "', not a usable gene name (empty, or a tab, line break or leading '>')");
            }
            Integer first = seen.putIfAbsent(name, g);
            if (first != null) {
                throw new InputFormatException(file, 0, "dataset geneName: gene " + name + " appears in rows " + first
                        + " and " + g + "; every gene needs its own name");
            }
            out.add(name);
        }
        return List.copyOf(out);
    }

    /**
     * The file this dataset was opened from.
     *
     * @return the path given to {@link #open}
     */
    public Path file() {
        return file;
    }

    /**
     * The number of genes (rows).
     *
     * @return the common row count of {@code promoter}, {@code data} and {@code geneName}
     */
    public int geneCount() {
        return genes;
    }

    /**
     * The length of every {@code promoter} row.
     *
     * @return L, in bases (80,000 in the original files)
     */
    public int promoterLength() {
        return length;
    }

    /**
     * The gene names, in row order.
     *
     * @return an immutable list of {@link #geneCount()} distinct names, surrounding blanks stripped
     */
    public List<String> geneNames() {
        return geneNames;
    }

    /**
     * The number of half-life inputs per gene.
     *
     * @return the width of {@code data} (5 in scEP)
     */
    public int halfLifeCount() {
        return features;
    }

    /**
     * The half-life inputs, as the original fed them to its network.
     *
     * @return a new gene-major array: {@code [gene * halfLifeCount() + k]}, every value finite
     */
    public double[] halfLifeInputs() {
        return halfLife.clone();
    }

    /** Receives windows, in row order. */
    @FunctionalInterface
    public interface WindowVisitor {
        /**
         * One window.
         *
         * @param gene   the 0-based row
         * @param window {@code geometry.length()} upper-case bytes ({@code A}, {@code C}, {@code G}, {@code T} or
         *               {@code N}); reused for the next window, so copy what must be kept
         * @throws IOException when the visitor cannot store it
         */
        void window(int gene, byte[] window) throws IOException;
    }

    /**
     * Cuts every gene's window out of {@code promoter}, streaming: the rows are read a block at a time (the rows of
     * one chunk of a chunked dataset, and of that chunk only the columns the window covers). Window position
     * {@code i} is {@code promoter} index {@code tssIndex − geometry.upstream() + i}; positions beyond the row's ends
     * are {@code N}.
     *
     * @param tssIndex the TSS's 0-based index along a {@code promoter} row ({@link #ORIGINAL_TSS_INDEX} in the
     *                 original files)
     * @param geometry bases upstream and downstream of the TSS
     * @param visitor  receives each window, in row order
     * @throws InputFormatException naming the file, gene and position when a position has more than one hot channel
     *                              or a float that is neither 0 nor 1, or when the file is damaged; naming what to
     *                              change when a block would not fit in memory
     * @throws IllegalArgumentException when {@code tssIndex} is outside the rows
     * @throws IOException          when the file cannot be read or the visitor fails
     */
    public void windows(int tssIndex, WindowGeometry geometry, WindowVisitor visitor) throws IOException {
        if (tssIndex < 0 || tssIndex >= length) {
            throw new IllegalArgumentException("TSS index " + tssIndex + " is outside the promoter rows of " + file
                    + " (0.." + (length - 1) + ")");
        }
        long from = (long) tssIndex - geometry.upstream();
        int start = (int) Math.max(0, from);
        int end = (int) Math.min(length, (long) tssIndex + geometry.downstream());
        byte[] window = new byte[geometry.length()];
        try {
            if (promoter instanceof ChunkedDataset chunked && chunked.getChunkDimensions().length == 3) {
                chunkedWindows(chunked, from, start, end, window, visitor);
            } else {
                contiguousWindows(from, start, end, window, visitor);
            }
        } catch (VisitorFailure e) {
            throw e.failure;
        } catch (Memory.NotEnoughMemoryException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unreadable(file, e);
        }
    }

    /** Carries a visitor's own unchecked exception past the handler that reports jhdf's. */
    private static final class VisitorFailure extends RuntimeException {
        private final RuntimeException failure;

        VisitorFailure(RuntimeException failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }

    /** Hot-channel masks of a block of rows over the window's columns: bit c set when channel c is hot. */
    private void chunkedWindows(ChunkedDataset d, long from, int start, int end, byte[] window, WindowVisitor visitor)
            throws IOException {
        int[] c = d.getChunkDimensions();
        int size = elementSize(d, file);
        boolean floating = baseType(d) instanceof FloatingPoint;
        ByteOrder order = floating ? ((FloatingPoint) baseType(d)).getByteOrder() : ByteOrder.LITTLE_ENDIAN;
        int cols = Math.max(0, end - start);
        Memory.require(Memory.times(c[0], cols) + Memory.times(Memory.times(Memory.times(c[0], c[1]), c[2]), 2L * size),
                "a block of " + c[0] + " promoter rows of " + file);
        byte[] mask = new byte[c[0] * cols];
        for (int r0 = 0; r0 < genes; r0 += c[0]) {
            int rows = Math.min(c[0], genes - r0);
            Arrays.fill(mask, (byte) 0);
            if (cols > 0) {
                for (int p0 = start - start % c[1]; p0 < end; p0 += c[1]) {
                    for (int ch0 = 0; ch0 < CHANNELS.length(); ch0 += c[2]) {
                        ByteBuffer chunk = ByteBuffer.wrap(chunk(d, new int[]{r0, p0, ch0})).order(order);
                        int pFrom = Math.max(p0, start);
                        int pTo = Math.min(p0 + c[1], end);
                        int chTo = Math.min(ch0 + c[2], CHANNELS.length());
                        for (int r = 0; r < rows; r++) {
                            for (int pos = pFrom; pos < pTo; pos++) {
                                int base = ((r * c[1] + (pos - p0)) * c[2]) * size;
                                for (int ch = ch0; ch < chTo; ch++) {
                                    if (hot(chunk, base + (ch - ch0) * size, size, floating, r0 + r, pos)) {
                                        mask[r * cols + pos - start] |= (byte) (1 << ch);
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for (int r = 0; r < rows; r++) {
                emit(r0 + r, mask, r * cols, from, start, end, window, visitor);
            }
        }
    }

    /** The decompressed chunk at an element offset; a chunk never written holds the fill value (taken as 0). */
    private byte[] chunk(ChunkedDataset d, int[] offset) {
        try {
            return d.getDecompressedChunk(offset);
        } catch (io.jhdf.exceptions.HdfException e) {
            if (e.getMessage() != null && e.getMessage().contains("No chunk")) {
                int[] c = d.getChunkDimensions();
                return new byte[c[0] * c[1] * c[2] * d.getDataType().getSize()];
            }
            throw e;
        }
    }

    private DataType baseType(Dataset d) {
        DataType t = d.getDataType();
        return t instanceof EnumDataType e ? e.getBaseType() : t;
    }

    private boolean hot(ByteBuffer b, int at, int size, boolean floating, int gene, int pos) throws InputFormatException {
        if (!floating) {
            for (int k = 0; k < size; k++) {
                if (b.get(at + k) != 0) {
                    return true;
                }
            }
            return false;
        }
        double v = switch (size) {
            case 2 -> FloatingPoint.toFloat(b.getShort(at));
            case 4 -> b.getFloat(at);
            default -> b.getDouble(at);
        };
        return floatHot(v, gene, pos);
    }

    private boolean floatHot(double v, int gene, int pos) throws InputFormatException {
        if (v == 0) {
            return false;
        }
        if (v == 1) {
            return true;
        }
        throw new InputFormatException(file, 0, "dataset promoter: gene " + geneNames.get(gene) + " (row " + gene
                + ") holds " + v + " at position " + pos + "; a one-hot channel must be 0 or 1");
    }

    private void contiguousWindows(long from, int start, int end, byte[] window, WindowVisitor visitor) throws IOException {
        int cols = Math.max(0, end - start);
        int rowsPerBlock = (int) Math.max(1, Math.min(genes, CONTIGUOUS_BLOCK / Math.max(1, 4L * cols)));
        Memory.require(Memory.times(Memory.times(rowsPerBlock, cols), 4L * 24), "a block of " + rowsPerBlock
                + " promoter rows of " + file);
        byte[] mask = new byte[rowsPerBlock * cols];
        for (int r0 = 0; r0 < genes; r0 += rowsPerBlock) {
            int rows = Math.min(rowsPerBlock, genes - r0);
            Arrays.fill(mask, (byte) 0);
            if (cols > 0) {
                Object block = promoter.getData(new long[]{r0, start, 0}, new int[]{rows, cols, CHANNELS.length()});
                for (int r = 0; r < rows; r++) {
                    Object row = Array.get(block, r);
                    for (int pos = 0; pos < cols; pos++) {
                        Object channels = Array.get(row, pos);
                        for (int ch = 0; ch < CHANNELS.length(); ch++) {
                            if (hotValue(Array.get(channels, ch), r0 + r, start + pos)) {
                                mask[r * cols + pos] |= (byte) (1 << ch);
                            }
                        }
                    }
                }
            }
            for (int r = 0; r < rows; r++) {
                emit(r0 + r, mask, r * cols, from, start, end, window, visitor);
            }
        }
    }

    private boolean hotValue(Object v, int gene, int pos) throws InputFormatException {
        return switch (v) {
            case Boolean b -> b;
            case Double x -> floatHot(x, gene, pos);
            case Float x -> floatHot(x, gene, pos);
            case Number n -> n.longValue() != 0;
            case String s -> s.equalsIgnoreCase("TRUE");
            default -> throw new InputFormatException(file, 0, "dataset promoter holds " + v.getClass().getSimpleName()
                    + "; expected bool, an integer or a float type");
        };
    }

    /** Turns the masks of one row into bases and hands the window over. */
    private void emit(int gene, byte[] mask, int offset, long from, int start, int end, byte[] window, WindowVisitor visitor)
            throws IOException {
        Arrays.fill(window, (byte) 'N');
        for (int pos = start; pos < end; pos++) {
            int m = mask[offset + pos - start];
            if (m == 0) {
                continue;
            }
            if ((m & (m - 1)) != 0) {
                StringBuilder hotChannels = new StringBuilder();
                for (int ch = 0; ch < CHANNELS.length(); ch++) {
                    if ((m & (1 << ch)) != 0) {
                        hotChannels.append(CHANNELS.charAt(ch));
                    }
                }
                throw new InputFormatException(file, 0, "dataset promoter: gene " + geneNames.get(gene) + " (row " + gene
                        + ") has more than one hot channel (" + hotChannels + ") at position " + pos
                        + "; a one-hot row holds at most one");
            }
            window[(int) (pos - from)] = (byte) CHANNELS.charAt(Integer.numberOfTrailingZeros(m));
        }
        try {
            visitor.window(gene, window);
        } catch (RuntimeException e) {
            throw new VisitorFailure(e);
        }
    }

    @Override
    public void close() throws IOException {
        hdf.close();
    }
}
