package dev.scep.cli;

import dev.scep.formats.io.ScepDataset;
import dev.scep.train.prepare.DatasetPreparation;
import dev.scep.train.prepare.PopulationLevel;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where expression comes from and which populations to aggregate it into (shared by prepare and pseudobulk). */
final class ExpressionOptions {
    @Option(names = "--expression", paramLabel = "X", description = "Expression matrix: a Matrix Market file "
            + "(.mtx[.gz], genes in rows), a 10x directory, an HDF5 file recognised by its content (10x"
            + " filtered_feature_bc_matrix.h5, loom, AnnData .h5ad), or a dense CSV/TSV (header of cell ids, one row per gene).")
    Path matrix;

    @Option(names = "--genes", paramLabel = "FILE", description = "Gene list of a Matrix Market file (default: features.tsv or genes.tsv beside it).")
    Path genes;

    @Option(names = "--barcodes", paramLabel = "FILE", description = "Cell ids of a Matrix Market file (default: barcodes.tsv beside it, else the --cells rows in order).")
    Path barcodes;

    @Option(names = "--cells", paramLabel = "C.tsv", description = "Cell annotations: header line, one row per cell (default for .h5ad: its obs).")
    Path cells;

    @Option(names = "--cell-id-column", paramLabel = "COL", description = "Column of --cells holding the cell ids (default: the first).")
    String cellIdColumn;

    @Option(names = "--population-column", paramLabel = "COL", description = "An annotation column whose values define populations (repeatable: one resolution each).")
    List<String> populationColumns = new ArrayList<>();

    @Option(names = "--nested", paramLabel = "A,B,C", split = ",",
            description = "Nested columns (tissue,class,subclass): one resolution per prefix, populations named by path.")
    List<String> nested = new ArrayList<>();

    @Option(names = "--all-cells", description = "Also aggregate all annotated cells as one population named 'all' (tissue level).")
    boolean allCells;

    @Option(names = "--layer", paramLabel = "NAME", description = {
            "AnnData: X (default), raw (raw/X) or a layer (e.g. counts); loom: a layer instead of /matrix. The paper's",
            "targets are log10 of mean counts-scale values: choose the counts if X is log-transformed."})
    String layer;

    @Option(names = "--var-symbol-column", paramLabel = "COL",
            description = "AnnData: the var column of gene symbols (default: gene_symbols, gene_short_name or feature_name).")
    String symbolColumn;

    @Option(names = "--bulk", description = "Columns are bulk samples: unexpressed genes get -3 instead of -4.")
    boolean bulk;

    DatasetPreparation.Expression toExpression(picocli.CommandLine commandLine) {
        if (matrix == null) {
            return null;
        }
        List<PopulationLevel> levels = new ArrayList<>();
        for (String c : populationColumns) {
            levels.add(PopulationLevel.of(c));
        }
        if (!nested.isEmpty()) {
            levels.addAll(PopulationLevel.nested(nested));
        }
        if (levels.isEmpty() && !allCells) {
            throw new picocli.CommandLine.ParameterException(commandLine,
                    "--expression needs at least one --population-column, --nested or --all-cells");
        }
        return new DatasetPreparation.Expression(matrix, genes, barcodes, cells, cellIdColumn, levels, allCells, bulk,
                new dev.scep.formats.expression.ExpressionMatrix.Choice(layer, symbolColumn));
    }

    /** The per-population report: cells (or samples) and genes non-zero, which both drive accuracy. */
    static void printPopulations(PrintWriter out, List<ScepDataset.Population> populations) {
        int width = Math.max(10, populations.stream().mapToInt(p -> p.name().length()).max().orElse(10));
        boolean bulk = populations.stream().anyMatch(ScepDataset.Population::bulk);
        out.printf("%-" + width + "s  %10s  %17s%n", "population", bulk ? "samples" : "cells", "genes non-zero");
        for (ScepDataset.Population p : populations) {
            out.printf("%-" + width + "s  %,10d  %,17d%n", p.name(), p.cells(), p.genesNonZero());
        }
    }
}
