package dev.scep.formats.expression;

import dev.scep.formats.text.InputFormatException;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loom file ({@code .loom}, loompy's HDF5 layout), read with jhdf: {@code /matrix} genes × cells (dense, chunked),
 * or a layer of the same shape ({@code /layers/<name>}); genes from {@code /row_attrs} ({@code Accession} as the id
 * when present, {@code Gene} as the symbol), cells from {@code /col_attrs/CellID}, whose other columns become the
 * cell annotations (as an h5ad's {@code obs}). Read in slices of rows.
 */
final class LoomMatrix implements ExpressionMatrix {
    private final Path file;
    private final String matrix;
    private final List<String> genes;
    private final List<String> names;
    private final List<String> cells;
    private final CellTable annotations;

    private LoomMatrix(Path file, String matrix, List<String> genes, List<String> names, List<String> cells, CellTable annotations) {
        this.file = file;
        this.matrix = matrix;
        this.genes = genes;
        this.names = names;
        this.cells = cells;
        this.annotations = annotations;
    }

    /** Whether an HDF5 file is a loom file: a {@code /matrix} dataset beside {@code /row_attrs} and {@code /col_attrs}. */
    static boolean isLoom(HdfFile h) {
        return h.getChild("matrix") instanceof Dataset && h.getChild("row_attrs") instanceof Group
                && h.getChild("col_attrs") instanceof Group;
    }

    static LoomMatrix open(Path file, String layer) throws IOException {
        String matrix = layer == null || layer.equals("matrix") ? "matrix" : layer.startsWith("layers/") ? layer : "layers/" + layer;
        try (HdfFile h = dev.scep.formats.hdf5.Hdf5Files.open(file)) {
            if (!(H5adMatrix.node(h, matrix) instanceof Dataset d)) {
                throw new InputFormatException(file, 0, "no dataset /" + matrix + " in the loom file");
            }
            long[] shape = d.getDimensionsAsLong();
            if (shape.length != 2 || shape[0] > MatrixMarket.MAX_DIMENSION || shape[1] > MatrixMarket.MAX_DIMENSION) {
                throw new InputFormatException(file, 0, "/" + matrix + " is not a genes × cells matrix scep can read");
            }
            Group rows = (Group) h.getChild("row_attrs");
            Group cols = (Group) h.getChild("col_attrs");
            List<String> symbols = column(rows, "Gene", file);
            List<String> ids = rows.getChild("Accession") != null ? column(rows, "Accession", file) : symbols;
            List<String> cellIds = column(cols, "CellID", file);
            if (ids.size() != shape[0] || symbols.size() != shape[0] || cellIds.size() != shape[1]) {
                throw new InputFormatException(file, 0, "/" + matrix + " is " + shape[0] + " genes × " + shape[1]
                        + " cells, but row_attrs lists " + ids.size() + " genes and col_attrs " + cellIds.size() + " cells");
            }
            Map<String, List<String>> columns = new LinkedHashMap<>();
            for (Map.Entry<String, Node> e : cols.getChildren().entrySet()) {
                if (!e.getKey().equals("CellID") && e.getValue() instanceof Dataset c && c.getDimensionsAsLong().length == 1) {
                    List<String> values = H5adMatrix.values(c, c, file);
                    if (values.size() == cellIds.size()) {
                        columns.put(e.getKey(), values);
                    }
                }
            }
            return new LoomMatrix(file, matrix, List.copyOf(ids), List.copyOf(symbols), List.copyOf(cellIds),
                    new CellTable(file, cellIds, columns));
        } catch (RuntimeException e) {
            throw H5adMatrix.unreadable(file, e);
        }
    }

    private static List<String> column(Group attrs, String name, Path file) throws InputFormatException {
        if (!(attrs.getChild(name) instanceof Dataset d)) {
            throw new InputFormatException(file, 0, attrs.getPath() + " has no '" + name + "' attribute (it has "
                    + attrs.getChildren().keySet() + ")");
        }
        return H5adMatrix.names(H5adMatrix.values(d, d, file), d, file);
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
        return cells;
    }

    @Override
    public CellTable embeddedCells() {
        return annotations;
    }

    @Override
    public void forEachEntry(EntryVisitor visitor) throws IOException {
        try (HdfFile h = dev.scep.formats.hdf5.Hdf5Files.open(file)) {
            Dataset d = (Dataset) H5adMatrix.node(h, matrix);
            H5adMatrix.dense(file, d, d.getDimensionsAsLong(), visitor, true);
        } catch (RuntimeException e) {
            throw H5adMatrix.unreadable(file, e);
        }
    }
}
