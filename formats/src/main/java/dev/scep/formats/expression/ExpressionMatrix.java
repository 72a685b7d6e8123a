package dev.scep.formats.expression;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A gene × cell (or gene × bulk sample) expression matrix. Readers stream its non-zero entries so matrices far
 * larger than memory can be aggregated; every value is checked to be finite and non-negative before it is handed out.
 */
public interface ExpressionMatrix {
    /** The file or directory the matrix was read from, for messages. */
    Path source();

    List<String> geneIds();

    /** Gene symbols where the source has them (same order as {@link #geneIds()}); entries may be null. */
    List<String> geneNames();

    List<String> cellIds();

    /** Cell annotations stored with the matrix (h5ad {@code obs}), or null when it has none. */
    default CellTable embeddedCells() {
        return null;
    }

    /** Visits every stored entry; zeros may or may not be visited. */
    void forEachEntry(EntryVisitor visitor) throws IOException;

    interface EntryVisitor {
        void entry(int gene, int cell, double value);
    }

    /**
     * Opens a matrix by what {@code path} is: a 10x-style directory (matrix.mtx[.gz], features/genes.tsv[.gz],
     * barcodes.tsv[.gz]), a Matrix Market file (gene and cell lists found beside it, or given), an {@code .h5ad} file,
     * or a dense CSV/TSV table with genes in rows.
     *
     * @param genes a gene list for a Matrix Market file, or null to look beside it
     * @param cells a cell-id list for a Matrix Market file, or null to look beside it (or to take the cell table's order)
     */
    static ExpressionMatrix open(Path path, Path genes, Path cells) throws IOException {
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        boolean matrixMarket = name.endsWith(".mtx") || name.endsWith(".mtx.gz");
        if ((genes != null || cells != null) && !matrixMarket) {
            // a list that would be ignored is a mistake to report, not to pass over
            throw new IllegalArgumentException("a separate gene or cell-id list (--genes, --barcodes) applies only to a Matrix"
                    + " Market file (.mtx, .mtx.gz); " + path + " is " + (Files.isDirectory(path)
                    ? "a 10x folder, which holds its own" : "not one"));
        }
        if (Files.isDirectory(path)) {
            return MatrixMarket.openTenX(path);
        }
        if (!Files.isRegularFile(path)) {
            throw new java.nio.file.NoSuchFileException(path.toString(), null, "expression matrix not found");
        }
        if (name.endsWith(".h5ad")) {
            return H5adMatrix.open(path);
        }
        if (matrixMarket) {
            return MatrixMarket.open(path, genes, cells);
        }
        return DelimitedMatrix.open(path);
    }
}
