package dev.scep.formats.expression;

import dev.scep.formats.text.InputFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A gene × cell (or gene × bulk sample) expression matrix. Readers stream its non-zero entries so matrices far
 * larger than memory can be aggregated; every value is checked to be finite and non-negative before it is handed out.
 * Values are as stored: counts or non-negative normalised values, never log-transformed here. Genes and cells are
 * addressed by 0-based index into {@link #geneIds()} and {@link #cellIds()}.
 *
 * <p>The readers of {@link #open} are immutable once opened and read the source anew on every
 * {@link #forEachEntry} call, so one matrix may be shared between threads.
 */
public interface ExpressionMatrix {
    /**
     * Where the matrix came from, for messages.
     *
     * @return the file or directory the matrix was read from
     */
    Path source();

    /**
     * The genes, by row index.
     *
     * @return the gene ids (Ensembl ids or symbols, as the source has them); read-only
     */
    List<String> geneIds();

    /**
     * Gene symbols where the source has them.
     *
     * @return symbols in the order of {@link #geneIds()}; entries may be null
     */
    List<String> geneNames();

    /**
     * The cells (or bulk samples), by column index.
     *
     * @return the cell ids (barcodes, sample names); read-only. For a Matrix Market file opened without a cell list
     *         every entry is null, and cells are matched to a cell table by position
     */
    List<String> cellIds();

    /**
     * Cell annotations stored with the matrix.
     *
     * @return the h5ad {@code obs} table, or null when the source has none
     */
    default CellTable embeddedCells() {
        return null;
    }

    /**
     * Reads the matrix and hands every stored entry to {@code visitor}, in file order, on the calling thread.
     * Zeros may or may not be visited.
     *
     * @param visitor receives the entries
     * @throws InputFormatException naming the file and line (or entry) when an entry is malformed, out of range,
     *                              negative or not finite; entries before it have been visited already
     * @throws IOException          when the source cannot be read
     */
    void forEachEntry(EntryVisitor visitor) throws IOException;

    /** Receives the entries of {@link #forEachEntry}. */
    interface EntryVisitor {
        /**
         * One entry.
         *
         * @param gene  0-based index into {@link #geneIds()}
         * @param cell  0-based index into {@link #cellIds()}
         * @param value the expression value, finite and non-negative
         */
        void entry(int gene, int cell, double value);
    }

    /**
     * Opens a matrix by what {@code path} is: a 10x-style directory (matrix.mtx[.gz], features/genes.tsv[.gz],
     * barcodes.tsv[.gz]), a Matrix Market file (gene and cell lists found beside it, or given), an {@code .h5ad} file,
     * or a dense CSV/TSV table with genes in rows.
     *
     * @param path  the matrix: a directory, {@code .mtx[.gz]}, {@code .h5ad}, or anything else as a CSV/TSV table
     * @param genes a gene list for a Matrix Market file, or null to look beside it
     * @param cells a cell-id list for a Matrix Market file, or null to look beside it (or to take the cell table's order)
     * @return the matrix, its gene and cell lists read and checked; entries are read by {@link #forEachEntry}
     * @throws IllegalArgumentException when {@code genes} or {@code cells} is given for anything but a Matrix Market
     *                                  file
     * @throws java.nio.file.NoSuchFileException when {@code path} does not exist
     * @throws InputFormatException     naming the file when its header, dimensions or id lists are malformed or do not
     *                                  fit each other
     * @throws IOException              when a file cannot be read
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
