package dev.scep.formats.expression;

import dev.scep.formats.text.InputFormatException;
import dev.scep.formats.text.TsvField;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;

import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An AnnData {@code .h5ad} file (anndata ≥ 0.7 layout), read with jhdf: {@code X} as a dense dataset or a
 * {@code csr_matrix}/{@code csc_matrix} group (cells × genes, as AnnData stores it); gene ids from {@code var}
 * ({@code gene_ids} column when present, else the index) and symbols from the index or {@code gene_symbols} /
 * {@code feature_name}; cell annotations from {@code obs}, categorical columns decoded. Sparse data is read in
 * slices so the whole of {@code X} never sits in memory.
 */
final class H5adMatrix implements ExpressionMatrix {
    private static final int SLICE = 1 << 20;

    private final Path file;
    private final String matrix;      // the path of the matrix read: X, raw/X or layers/<name>
    private final List<String> genes;
    private final List<String> names;
    private final CellTable obs;
    private final List<String> notes = new ArrayList<>();

    private H5adMatrix(Path file, String matrix, List<String> genes, List<String> names, CellTable obs) {
        this.file = file;
        this.matrix = matrix;
        this.genes = genes;
        this.names = names;
        this.obs = obs;
    }

    /** The var columns that hold gene symbols, in the order they are looked for (scanpy, monocle, CELLxGENE). */
    static final List<String> SYMBOL_COLUMNS = List.of("gene_symbols", "gene_short_name", "feature_name");

    static H5adMatrix open(Path file) throws IOException {
        return open(file, null, null);
    }

    /**
     * Opens an AnnData file.
     *
     * @param layer        {@code X} (null: the default), {@code raw} ({@code raw/X}, with {@code raw/var}'s genes) or
     *                     the name of a layer ({@code layers/<name>})
     * @param symbolColumn the {@code var} column of gene symbols, or null to look for the usual ones
     */
    static H5adMatrix open(Path file, String layer, String symbolColumn) throws IOException {
        String matrix = layer == null || layer.equals("X") ? "X" : layer.equals("raw") || layer.equals("raw/X") ? "raw/X"
                : layer.startsWith("layers/") ? layer : "layers/" + layer;
        try (HdfFile h = dev.scep.formats.hdf5.Hdf5Files.open(file)) {
            if (node(h, matrix) == null) {
                throw new InputFormatException(file, 0, "no matrix " + matrix + " in the file");
            }
            Group var = group(h, matrix.equals("raw/X") ? "raw/var" : "var", file);
            Group obsGroup = group(h, "obs", file);
            List<String> varIndex = frameIndex(var, file);
            List<String> geneIds = varIndex;
            List<String> geneNames = varIndex;
            Node ids = var.getChild("gene_ids");
            if (symbolColumn != null) {
                if (var.getChild(symbolColumn) == null) {
                    throw new InputFormatException(file, 0, var.getPath() + " has no column '" + symbolColumn + "' (it has "
                            + var.getChildren().keySet() + ")");
                }
                geneNames = names(stringColumn(var.getChild(symbolColumn), file, var), var, file);
                if (ids != null) {
                    geneIds = names(stringColumn(ids, file, var), ids, file);
                }
            } else if (ids != null) {
                geneIds = names(stringColumn(ids, file, var), ids, file);
            } else {
                for (String column : SYMBOL_COLUMNS) {
                    if (var.getChild(column) != null) {
                        geneNames = names(stringColumn(var.getChild(column), file, var), var, file);
                        break;
                    }
                }
            }
            List<String> cellIds = frameIndex(obsGroup, file);
            Map<String, List<String>> columns = new LinkedHashMap<>();
            String indexName = stringAttribute(obsGroup, "_index");
            for (Map.Entry<String, Node> e : obsGroup.getChildren().entrySet()) {
                if (e.getKey().equals(indexName) || e.getKey().equals("__categories")) {
                    continue;
                }
                List<String> values = stringColumn(e.getValue(), file, obsGroup);
                if (values.size() != cellIds.size()) {
                    throw new InputFormatException(file, 0, "obs column " + e.getKey() + " has " + values.size()
                            + " values for " + cellIds.size() + " cells");
                }
                columns.put(e.getKey(), values);
            }
            long[] shape = shapeOf(h, matrix, file);
            if (shape[0] != cellIds.size() || shape[1] != geneIds.size()) {
                throw new InputFormatException(file, 0, matrix + " is " + shape[0] + " × " + shape[1] + " but obs lists "
                        + cellIds.size() + " cells and " + var.getPath() + " " + geneIds.size() + " genes");
            }
            return new H5adMatrix(file, matrix, List.copyOf(geneIds), geneNames, new CellTable(file, cellIds, columns));
        } catch (RuntimeException e) {
            // jhdf reports a damaged or foreign file with assorted unchecked exceptions
            throw unreadable(file, e);
        }
    }

    static InputFormatException unreadable(Path file, RuntimeException e) {
        return new InputFormatException(file, 0, "cannot read it as HDF5/AnnData: "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }

    /** The node at a slash-separated path, or null where a step is missing (jhdf's getByPath throws instead). */
    static Node node(Group root, String path) {
        Node n = root;
        for (String step : path.split("/")) {
            if (!(n instanceof Group g)) {
                return null;
            }
            n = g.getChild(step);
        }
        return n;
    }

    private static Group group(HdfFile h, String name, Path file) throws InputFormatException {
        Node n = node(h, name);
        if (n == null) {
            throw new InputFormatException(file, 0, "no '" + name + "' in the file: not an AnnData .h5ad");
        }
        if (!(n instanceof Group g)) {
            throw new InputFormatException(file, 0, "'" + name + "' is a compound table, the layout of anndata < 0.7;"
                    + " re-save the file with a recent anndata");
        }
        return g;
    }

    private static String stringAttribute(Node n, String name) {
        Attribute a = n.getAttribute(name);
        if (a == null) {
            return null;
        }
        Object d = a.getData();
        return d instanceof String s ? s : d != null && d.getClass().isArray() && Array.getLength(d) == 1
                ? String.valueOf(Array.get(d, 0)) : String.valueOf(d);
    }

    private static List<String> frameIndex(Group frame, Path file) throws InputFormatException {
        String indexName = stringAttribute(frame, "_index");
        Node index = frame.getChild(indexName != null ? indexName : "_index");
        if (index == null) {
            throw new InputFormatException(file, 0, frame.getPath() + " has no index column");
        }
        return names(stringColumn(index, file, frame), index, file);
    }

    /**
     * A column as strings: a string or numeric dataset, or a categorical column (codes into categories, −1 = missing)
     * in either layout: anndata ≥ 0.8 stores a group with {@code codes} and {@code categories}; anndata ≤ 0.7 stores
     * the integer codes as the column itself, with a {@code categories} attribute that refers to
     * {@code <frame>/__categories/<column>}. Reading those codes as numbers would silently mislabel every cell.
     */
    private static List<String> stringColumn(Node node, Path file, Group frame) throws InputFormatException {
        if (node instanceof Group g) {
            Node codes = g.getChild("codes");
            Node categories = g.getChild("categories");
            if (!(codes instanceof Dataset c) || !(categories instanceof Dataset cats)) {
                throw new InputFormatException(file, 0, node.getPath() + " is a group but not a categorical column");
            }
            return decodeCategories(node, c, values(cats, node, file), file);
        }
        if (node instanceof Dataset d) {
            if (d.getAttribute("categories") != null) {
                Node legacy = frame.getChild("__categories") instanceof Group cats ? cats.getChild(node.getName()) : null;
                if (!(legacy instanceof Dataset legacyCategories)) {
                    throw new InputFormatException(file, 0, node.getPath() + " is a categorical column in the anndata <= 0.7"
                            + " layout, but its categories are not at " + frame.getPath() + "__categories/" + node.getName()
                            + "; re-save the file with a recent anndata");
                }
                return decodeCategories(node, d, values(legacyCategories, node, file), file);
            }
            return values(d, node, file);
        }
        throw new InputFormatException(file, 0, node.getPath() + " is neither a dataset nor a categorical group");
    }

    private static List<String> decodeCategories(Node column, Dataset codes, List<String> names, Path file)
            throws InputFormatException {
        Object raw = flatData(codes, column, file);
        List<String> out = new ArrayList<>(Array.getLength(raw));
        for (int i = 0; i < Array.getLength(raw); i++) {
            if (!(Array.get(raw, i) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                throw new InputFormatException(file, 0, column.getPath() + ": category code " + Array.get(raw, i)
                        + " of row " + i + " is not a whole number");
            }
            long code = n.longValue();
            if (code < -1 || code >= names.size()) {
                throw new InputFormatException(file, 0, column.getPath() + ": category code " + code + " of row " + i
                        + " is outside -1.." + (names.size() - 1));
            }
            out.add(code < 0 ? null : names.get((int) code));
        }
        return out;
    }

    /** A dataset's values, after checking that its size is one that can be held. */
    static Object flatData(Dataset d, Node column, Path file) throws InputFormatException {
        long size = d.getSize();
        if (size < 0 || size > MatrixMarket.MAX_DIMENSION || !dev.scep.formats.Memory.fits(dev.scep.formats.Memory.times(size, 16))) {
            throw new InputFormatException(file, 0, column.getPath() + " declares " + size + " values, more than can be read");
        }
        return d.getDataFlat();
    }

    static List<String> values(Dataset d, Node column, Path file) throws InputFormatException {
        Object raw = flatData(d, column, file);
        int n = Array.getLength(raw);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Object v = Array.get(raw, i);
            out.add(v instanceof Double || v instanceof Float ? numeric(((Number) v).doubleValue()) : String.valueOf(v));
        }
        return out;
    }

    /** Ids and names that go into tables: each must be able to stand in one (no tab, line break or control character). */
    static List<String> names(List<String> values, Node column, Path file) throws InputFormatException {
        for (int i = 0; i < values.size(); i++) {
            String problem = TsvField.problem(column.getPath() + " row " + i, values.get(i));
            if (problem != null) {
                throw new InputFormatException(file, 0, problem);
            }
        }
        return values;
    }

    private static String numeric(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static long[] shapeOf(HdfFile h, String matrix, Path file) throws InputFormatException {
        Node x = node(h, matrix);
        if (x == null) {
            throw new InputFormatException(file, 0, "no " + matrix + " matrix in the file");
        }
        long[] dims;
        if (x instanceof Dataset d) {
            dims = d.getDimensionsAsLong();
            if (dims.length != 2) {
                throw new InputFormatException(file, 0, matrix + " has " + dims.length + " dimensions; expected 2");
            }
        } else {
            Attribute shape = x.getAttribute("shape");
            Object s = shape == null ? null : shape.getData();
            if (s == null || !s.getClass().isArray() || Array.getLength(s) != 2 || !(Array.get(s, 0) instanceof Number r)
                    || !(Array.get(s, 1) instanceof Number c)) {
                throw new InputFormatException(file, 0, "sparse " + matrix + " has no shape attribute of two numbers");
            }
            dims = new long[]{r.longValue(), c.longValue()};
        }
        if (dims[0] < 0 || dims[1] < 0 || dims[0] > MatrixMarket.MAX_DIMENSION || dims[1] > MatrixMarket.MAX_DIMENSION) {
            throw new InputFormatException(file, 0, matrix + " has shape " + dims[0] + " x " + dims[1] + ", which scep cannot read");
        }
        return dims;
    }

    @Override
    public Path source() {
        return file;
    }

    @Override
    public List<String> geneIds() {
        return genes;
    }

    @Override
    public List<String> geneNames() {
        return names;
    }

    @Override
    public List<String> cellIds() {
        return obs.ids();
    }

    @Override
    public CellTable embeddedCells() {
        return obs;
    }

    @Override
    public void forEachEntry(EntryVisitor visitor) throws IOException {
        double[] max = {0};
        boolean[] fractional = {false};
        EntryVisitor watching = (gene, cell, value) -> {
            max[0] = Math.max(max[0], value);
            fractional[0] |= value != Math.rint(value);
            visitor.entry(gene, cell, value);
        };
        try (HdfFile h = dev.scep.formats.hdf5.Hdf5Files.open(file)) {
            Node x = node(h, matrix);
            long[] shape = shapeOf(h, matrix, file);
            if (x instanceof Dataset d) {
                dense(d, shape, watching);
            } else {
                Group g = (Group) x;
                String encoding = stringAttribute(g, "encoding-type");
                boolean csr;
                if ("csr_matrix".equals(encoding)) {
                    csr = true;
                } else if ("csc_matrix".equals(encoding)) {
                    csr = false;
                } else {
                    throw new InputFormatException(file, 0, matrix + " has encoding-type '" + encoding
                            + "'; expected csr_matrix or csc_matrix");
                }
                sparse(file, g, csr, shape, watching);
            }
        } catch (RuntimeException e) {
            throw unreadable(file, e);
        }
        notes.clear();
        if (fractional[0] && max[0] < 20) {
            // the paper's targets are log10 of mean counts-scale values: a log-transformed matrix would be logged twice
            notes.add(file + ": " + matrix + " looks log-transformed (fractional values, the largest " + max[0]
                    + "); pseudobulk expects counts or normalised counts: choose the counts with --layer (e.g. --layer"
                    + " counts, or --layer raw)");
        }
    }

    @Override
    public List<String> notes() {
        return List.copyOf(notes);
    }

    private void dense(Dataset d, long[] shape, EntryVisitor visitor) throws InputFormatException {
        dense(file, d, shape, visitor, false);
    }

    /** Visits a dense matrix, rows × columns, in slices of rows; {@code rowsAreGenes} for loom's genes × cells. */
    static void dense(Path file, Dataset d, long[] shape, EntryVisitor visitor, boolean rowsAreGenes) throws InputFormatException {
        int rowCount = Math.toIntExact(shape[0]);
        int columns = Math.toIntExact(shape[1]);
        int rowsPerSlice = Math.max(1, SLICE / Math.max(1, columns));
        for (int r0 = 0; r0 < rowCount; r0 += rowsPerSlice) {
            int rows = Math.min(rowsPerSlice, rowCount - r0);
            double[] v = doubles(d.getData(new long[]{r0, 0}, new int[]{rows, columns}));
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++) {
                    double value = v[r * columns + c];
                    EntryChecks.value(value, file, 0, d.getPath() + "[" + (r0 + r) + ", " + c + "]");
                    if (value != 0) {
                        if (rowsAreGenes) {
                            visitor.entry(r0 + r, c, value);
                        } else {
                            visitor.entry(c, r0 + r, value);
                        }
                    }
                }
            }
        }
    }

    /**
     * Visits a sparse matrix stored as {@code data}, {@code indices} and {@code indptr} datasets: compressed rows
     * ({@code csr}, shape rows × columns, rows = cells) or columns. 10x's genes × cells CSC is the CSR of
     * cells × genes. Read in slices; every index and pointer checked.
     */
    static void sparse(Path file, Group g, boolean csr, long[] shape, EntryVisitor visitor) throws InputFormatException {
        if (!(g.getChild("data") instanceof Dataset data) || !(g.getChild("indices") instanceof Dataset indices)
                || !(g.getChild("indptr") instanceof Dataset indptr)) {
            throw new InputFormatException(file, 0, "sparse matrix " + g.getPath() + " lacks data, indices or indptr datasets");
        }
        long major = csr ? shape[0] : shape[1];
        long minor = csr ? shape[1] : shape[0];
        if (indptr.getSize() != major + 1 || data.getDimensionsAsLong().length != 1 || indices.getDimensionsAsLong().length != 1) {
            throw new InputFormatException(file, 0, "sparse X is inconsistent: indptr has " + indptr.getSize() + " entries for "
                    + major + (csr ? " rows" : " columns") + " (expected " + (major + 1) + "), or data/indices are not 1-D");
        }
        long[] ptr = longs(flatData(indptr, indptr, file));
        long nnz = data.getDimensionsAsLong()[0];
        if (ptr[0] != 0 || ptr[ptr.length - 1] != nnz || indices.getDimensionsAsLong()[0] != nnz) {
            throw new InputFormatException(file, 0, "sparse X is inconsistent: indptr starts at " + ptr[0] + " and ends at "
                    + ptr[ptr.length - 1] + ", data has " + nnz + " values and indices " + indices.getDimensionsAsLong()[0]);
        }
        for (int i = 1; i < ptr.length; i++) {
            if (ptr[i] < ptr[i - 1]) {
                // a decreasing pointer would hand entries to the wrong rows: the sums would be silently wrong
                throw new InputFormatException(file, 0, "sparse X is inconsistent: indptr decreases at " + (csr ? "row " : "column ")
                        + (i - 1) + " (" + ptr[i - 1] + " then " + ptr[i] + "); indptr must never decrease");
            }
        }
        int row = 0;
        for (long start = 0; start < nnz; start += SLICE) {
            int len = (int) Math.min(SLICE, nnz - start);
            double[] v = doubles(data.getData(new long[]{start}, new int[]{len}));
            long[] idx = longs(indices.getData(new long[]{start}, new int[]{len}));
            for (int k = 0; k < len; k++) {
                long at = start + k;
                while (ptr[row + 1] <= at) {
                    row++;
                }
                long other = idx[k];
                if (other < 0 || other >= minor) {
                    throw new InputFormatException(file, 0, "sparse X index " + other + " at position " + at + " is outside 0.."
                            + (minor - 1));
                }
                int cell = csr ? row : (int) other;
                int gene = csr ? (int) other : row;
                EntryChecks.value(v[k], file, 0, g.getPath() + "[" + cell + ", " + gene + "]");
                visitor.entry(gene, cell, v[k]);
            }
        }
    }

    static double[] doubles(Object a) {
        Object flat = flatten(a);
        // the common element types without boxing each value
        if (flat instanceof double[] d) {
            return d;
        }
        int n = Array.getLength(flat);
        double[] out = new double[n];
        switch (flat) {
            case float[] f -> {
                for (int i = 0; i < n; i++) {
                    out[i] = f[i];
                }
            }
            case int[] v -> {
                for (int i = 0; i < n; i++) {
                    out[i] = v[i];
                }
            }
            case long[] v -> {
                for (int i = 0; i < n; i++) {
                    out[i] = v[i];
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    out[i] = ((Number) Array.get(flat, i)).doubleValue();
                }
            }
        }
        return out;
    }

    /** Indices and offsets, read as doubles (exact below 2^53) and converted. */
    static long[] longs(Object a) {
        double[] d = doubles(a);
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (long) d[i];
        }
        return out;
    }

    /** jhdf returns multi-dimensional slices as nested arrays; flatten to one primitive array. */
    private static Object flatten(Object a) {
        if (a.getClass().getComponentType().isArray()) {
            List<Object> parts = new ArrayList<>();
            int total = 0;
            for (int i = 0; i < Array.getLength(a); i++) {
                Object p = flatten(Array.get(a, i));
                parts.add(p);
                total += Array.getLength(p);
            }
            Object out = Array.newInstance(parts.isEmpty() ? double.class : parts.get(0).getClass().getComponentType(), total);
            int pos = 0;
            for (Object p : parts) {
                System.arraycopy(p, 0, out, pos, Array.getLength(p));
                pos += Array.getLength(p);
            }
            return out;
        }
        return a;
    }

}
