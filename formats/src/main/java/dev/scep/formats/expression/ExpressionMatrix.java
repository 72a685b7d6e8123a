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
     * What a user should know about the values read (e.g. that an AnnData matrix looks log-transformed), once
     * {@link #forEachEntry} has run.
     *
     * @return one line each; empty when nothing is worth saying
     */
    default List<String> notes() {
        return List.of();
    }

    /**
     * Which matrix of a file that holds several, and where its gene symbols are.
     *
     * @param layer        AnnData: {@code X} (null: the default), {@code raw} or a layer's name; loom: a layer's name
     *                     (null: {@code /matrix}); refused for other formats
     * @param symbolColumn AnnData: the {@code var} column of gene symbols, or null for the first of
     *                     {@code gene_symbols}, {@code gene_short_name}, {@code feature_name}; refused for other
     *                     formats
     */
    record Choice(String layer, String symbolColumn) {
        /** The defaults: the main matrix, the usual symbol columns. */
        public static final Choice DEFAULT = new Choice(null, null);
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
        return open(path, genes, cells, Choice.DEFAULT);
    }

    /**
     * As {@link #open(Path, Path, Path)}, choosing the matrix of a file that holds several. HDF5 files are recognised
     * by their content, whatever their name: a 10x Genomics matrix ({@code filtered_feature_bc_matrix.h5},
     * CellRanger 2 or 3+; gene expression features only), a loom file, or AnnData.
     *
     * @param path   the matrix
     * @param genes  a gene list for a Matrix Market file, or null
     * @param cells  a cell-id list for a Matrix Market file, or null
     * @param choice the layer and symbol column (AnnData, loom), or {@link Choice#DEFAULT}
     * @return the matrix
     * @throws IllegalArgumentException when lists or a choice are given for a format that has no use for them
     * @throws IOException as {@link #open(Path, Path, Path)}
     */
    static ExpressionMatrix open(Path path, Path genes, Path cells, Choice choice) throws IOException {
        if (Files.isRegularFile(path) && dev.scep.formats.hdf5.Hdf5Files.isHdf5(path)) {
            if (genes != null || cells != null) {
                throw new IllegalArgumentException("a separate gene or cell-id list (--genes, --barcodes) applies only to a"
                        + " Matrix Market file; " + path + " is HDF5, which holds its own");
            }
            String kind;
            try (io.jhdf.HdfFile h = dev.scep.formats.hdf5.Hdf5Files.open(path)) {
                kind = TenXH5Matrix.matrixGroup(h) != null && !LoomMatrix.isLoom(h) ? "10x" : LoomMatrix.isLoom(h) ? "loom"
                        : h.getChild("X") != null ? "anndata" : null;
            } catch (RuntimeException e) {
                throw H5adMatrix.unreadable(path, e);
            }
            if (kind == null) {
                throw new dev.scep.formats.text.InputFormatException(path, 0, "an HDF5 file, but none of the expression"
                        + " layouts scep reads: 10x (/matrix group, or a genome group with barcodes), loom (/matrix with"
                        + " /row_attrs and /col_attrs) or AnnData (X)");
            }
            if (kind.equals("10x") && (choice.layer() != null || choice.symbolColumn() != null)) {
                throw new IllegalArgumentException(path + " is a 10x matrix: it has one matrix and its own gene names"
                        + " (--layer and --var-symbol-column are for AnnData and loom files)");
            }
            if (kind.equals("loom") && choice.symbolColumn() != null) {
                throw new IllegalArgumentException(path + " is a loom file: its symbols are row_attrs/Gene"
                        + " (--var-symbol-column is for AnnData)");
            }
            return switch (kind) {
                case "10x" -> TenXH5Matrix.open(path);
                case "loom" -> LoomMatrix.open(path, choice.layer());
                default -> H5adMatrix.open(path, choice.layer(), choice.symbolColumn());
            };
        }
        if (choice.layer() != null || choice.symbolColumn() != null) {
            throw new IllegalArgumentException("--layer and --var-symbol-column apply to AnnData and loom files; " + path
                    + " is neither");
        }
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
