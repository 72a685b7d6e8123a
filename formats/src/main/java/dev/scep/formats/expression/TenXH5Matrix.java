package dev.scep.formats.expression;

import dev.scep.formats.text.InputFormatException;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A 10x Genomics HDF5 matrix ({@code filtered_feature_bc_matrix.h5}), read with jhdf. CellRanger 3 and later: a
 * {@code /matrix} group with {@code data}, {@code indices}, {@code indptr}, {@code shape} (genes × cells, stored as
 * compressed columns: one column per barcode), {@code barcodes} and {@code features/{id,name,feature_type}}; only
 * {@code Gene Expression} features are kept (antibody capture, CRISPR guides and the like are left out). CellRanger
 * 2: one group per genome holding the same datasets with {@code genes} and {@code gene_names}. Entries are read in
 * slices, never the whole matrix at once.
 */
final class TenXH5Matrix implements ExpressionMatrix {
    private final Path file;
    private final String group;
    private final long[] shape;          // cells x genes over every feature, as the sparse reader takes it
    private final int[] geneOfFeature;   // feature row -> index among the kept genes, -1 when left out
    private final List<String> genes;
    private final List<String> names;
    private final List<String> cells;

    private TenXH5Matrix(Path file, String group, long[] shape, int[] geneOfFeature, List<String> genes, List<String> names,
                         List<String> cells) {
        this.file = file;
        this.group = group;
        this.shape = shape;
        this.geneOfFeature = geneOfFeature;
        this.genes = genes;
        this.names = names;
        this.cells = cells;
    }

    /** Whether an HDF5 file's top level is a 10x matrix ({@code /matrix} group, or a genome group of one). */
    static String matrixGroup(HdfFile h) {
        if (h.getChild("matrix") instanceof Group) {
            return "matrix";
        }
        for (Node n : h.getChildren().values()) {
            if (n instanceof Group g && g.getChild("barcodes") != null && g.getChild("indptr") != null && g.getChild("genes") != null) {
                return g.getName();
            }
        }
        return null;
    }

    static TenXH5Matrix open(Path file) throws IOException {
        try (HdfFile h = dev.scep.formats.hdf5.Hdf5Files.open(file)) {
            String name = matrixGroup(h);
            if (name == null) {
                throw new InputFormatException(file, 0, "not a 10x matrix: no /matrix group (CellRanger 3+) and no genome"
                        + " group with barcodes, genes and indptr (CellRanger 2)");
            }
            Group g = (Group) h.getChild(name);
            long[] dims = H5adMatrix.longs(H5adMatrix.flatData(dataset(g, "shape", file), g, file));
            if (dims.length != 2 || dims[0] < 0 || dims[1] < 0 || dims[0] > MatrixMarket.MAX_DIMENSION
                    || dims[1] > MatrixMarket.MAX_DIMENSION) {
                throw new InputFormatException(file, 0, g.getPath() + "/shape is not two sizes scep can read");
            }
            List<String> barcodes = H5adMatrix.names(H5adMatrix.values(dataset(g, "barcodes", file), g, file), g, file);
            List<String> ids;
            List<String> symbols;
            List<String> types;
            if (g.getChild("features") instanceof Group f) {
                ids = H5adMatrix.names(H5adMatrix.values(dataset(f, "id", file), f, file), f, file);
                symbols = H5adMatrix.names(H5adMatrix.values(dataset(f, "name", file), f, file), f, file);
                types = f.getChild("feature_type") instanceof Dataset t ? H5adMatrix.values(t, f, file) : null;
            } else {
                ids = H5adMatrix.names(H5adMatrix.values(dataset(g, "genes", file), g, file), g, file);
                symbols = g.getChild("gene_names") instanceof Dataset n ? H5adMatrix.names(H5adMatrix.values(n, g, file), g, file) : ids;
                types = null;
            }
            if (ids.size() != dims[0] || symbols.size() != dims[0] || (types != null && types.size() != dims[0])
                    || barcodes.size() != dims[1]) {
                throw new InputFormatException(file, 0, g.getPath() + " is " + dims[0] + " features × " + dims[1]
                        + " barcodes, but lists " + ids.size() + " feature ids, " + symbols.size() + " names"
                        + (types == null ? "" : ", " + types.size() + " feature types") + " and " + barcodes.size() + " barcodes");
            }
            int[] keep = new int[ids.size()];
            List<String> genes = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                boolean expression = types == null || types.get(i).equals("Gene Expression");
                keep[i] = expression ? genes.size() : -1;
                if (expression) {
                    genes.add(ids.get(i));
                    names.add(symbols.get(i));
                }
            }
            if (genes.isEmpty()) {
                throw new InputFormatException(file, 0, g.getPath() + " holds no 'Gene Expression' feature (feature types: "
                        + new java.util.TreeSet<>(types) + ")");
            }
            return new TenXH5Matrix(file, name, new long[]{dims[1], dims[0]}, keep, List.copyOf(genes), List.copyOf(names),
                    List.copyOf(barcodes));
        } catch (RuntimeException e) {
            throw H5adMatrix.unreadable(file, e);
        }
    }

    private static Dataset dataset(Group g, String name, Path file) throws InputFormatException {
        if (!(g.getChild(name) instanceof Dataset d)) {
            throw new InputFormatException(file, 0, g.getPath() + " has no dataset '" + name + "'");
        }
        return d;
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
    public void forEachEntry(EntryVisitor visitor) throws IOException {
        try (HdfFile h = dev.scep.formats.hdf5.Hdf5Files.open(file)) {
            // genes x cells in compressed columns = cells x genes in compressed rows
            H5adMatrix.sparse(file, (Group) h.getChild(group), true, shape, (feature, cell, value) -> {
                int gene = geneOfFeature[feature];
                if (gene >= 0) {
                    visitor.entry(gene, cell, value);
                }
            });
        } catch (RuntimeException e) {
            throw H5adMatrix.unreadable(file, e);
        }
    }
}
