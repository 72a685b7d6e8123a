package dev.scep.train.prepare;

import dev.scep.formats.expression.CellTable;
import dev.scep.formats.expression.ExpressionMatrix;
import dev.scep.formats.io.ScepDataset.Population;
import dev.scep.formats.Memory;
import dev.scep.formats.text.InputFormatException;
import dev.scep.formats.text.TsvField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pseudobulk targets (DESIGN §3): per gene and population, {@code log10(mean over the population's cells of x)} with
 * no pseudocount; a gene expressed in none of the population's cells gets −4 (bulk samples: −3). Streams the matrix
 * once, whatever the number of levels.
 *
 * <p>Cells are matched to the annotation by id. A matrix without cell ids (a Matrix Market file with no barcodes)
 * takes the annotation's rows in order, which then must have exactly one row per matrix column. Cells with no
 * annotation row, or with an empty / NA value in a level's column, belong to no population of that level.
 * Populations are ordered by level ({@code all} first, then the levels as given), and within a level by name,
 * numbers compared as numbers ({@code Hours=8} before {@code Hours=24}).
 */
public final class Pseudobulk {
    private static final Logger LOG = LoggerFactory.getLogger(Pseudobulk.class);
    private static final Set<String> MISSING = Set.of("", "NA", "NaN", "nan", "None", "null");
    /** The name of the population of all annotated cells ({@code --tissue}). */
    static final String ALL_CELLS = "all";

    /**
     * Targets for every matrix gene, gene-major, and the cells counted. The array is held as given, not copied: treat
     * it as read-only, and a table is safe to share between threads.
     *
     * @param geneIds        the matrix's gene ids, in its row order
     * @param geneNames      their symbols, null where the matrix has none
     * @param populations    the populations: name, level, cells aggregated, genes expressed, bulk or not
     * @param targets        {@code targets[gene * populations.size() + population]}: log10 of the mean over the
     *                       population's cells (no pseudocount, not z-scored); −4 where no cell expresses the gene
     *                       (bulk samples: −3)
     * @param matrixCells    the matrix's cells (columns)
     * @param annotatedCells those with a row in the cell table
     */
    public record Table(List<String> geneIds, List<String> geneNames, List<Population> populations, float[] targets,
                        int matrixCells, int annotatedCells) {
        /**
         * Every target.
         *
         * @return a copy, {@code [gene * populations().size() + population]}
         */
        @Override
        public float[] targets() {
            return targets.clone();
        }

        /**
         * One target.
         *
         * @param gene       0-based index into {@code geneIds}
         * @param population 0-based index into {@code populations}
         * @return log10 mean expression, or the unexpressed value (−4, bulk −3)
         */
        public float target(int gene, int population) {
            return targets[gene * populations.size() + population];
        }
    }

    private Pseudobulk() {
    }

    /**
     * @param cells        cell annotations, or null to use the matrix's own (h5ad {@code obs})
     * @param levels       the resolutions to aggregate at
     * @param includeAll   also aggregate all annotated cells as one population ("all", the tissue level)
     * @param bulk         the columns are bulk samples (unexpressed → −3) rather than single cells (−4)
     */
    static Table compute(ExpressionMatrix matrix, CellTable cells, List<PopulationLevel> levels, boolean includeAll,
                                boolean bulk) throws IOException {
        if (cells == null) {
            cells = matrix.embeddedCells();
            if (cells == null) {
                throw new InputFormatException(matrix.source(), 0, "no cell annotations: give a table with --cells");
            }
        }
        levels = levels.stream().distinct().toList(); // a level asked for twice (alone and as a nesting prefix) once
        if (levels.isEmpty() && !includeAll) {
            throw new IllegalArgumentException("no populations asked for: give a population column or ask for all cells");
        }
        int nCells = matrix.cellIds().size();
        int[] row = cellRows(matrix, cells);
        int annotated = 0;
        for (int r : row) {
            if (r >= 0) {
                annotated++;
            }
        }
        if (annotated == 0) {
            throw new InputFormatException(cells.source(), 0, "none of the matrix's " + nCells + " cells (e.g. "
                    + matrix.cellIds().getFirst() + ") is in the cell annotation table (e.g. " + cells.ids().getFirst() + ")");
        }
        if (annotated < nCells) {
            LOG.warn("{} of {} cells of {} have no row in {}; they are left out", nCells - annotated, nCells,
                    matrix.source(), cells.source());
        }

        // assignment of every matrix cell to one population per level
        List<String> popNames = new ArrayList<>();
        List<String> popLevels = new ArrayList<>();
        List<int[]> assignments = new ArrayList<>();
        if (includeAll) {
            int[] a = new int[nCells];
            for (int c = 0; c < nCells; c++) {
                a[c] = row[c] >= 0 ? popNames.size() : -1;
            }
            assignments.add(a);
            popNames.add(ALL_CELLS);
            popLevels.add(ALL_CELLS);
        }
        for (PopulationLevel level : levels) {
            List<List<String>> columns = new ArrayList<>();
            for (String col : level.columns()) {
                columns.add(cells.column(col));
            }
            Map<String, Integer> local = new LinkedHashMap<>();
            String[] labels = new String[nCells];
            for (int c = 0; c < nCells; c++) {
                if (row[c] < 0) {
                    continue;
                }
                StringBuilder label = new StringBuilder();
                boolean missing = false;
                for (int k = 0; k < columns.size(); k++) {
                    String v = columns.get(k).get(row[c]);
                    if (v == null || MISSING.contains(v.strip())) {
                        missing = true;
                        break;
                    }
                    label.append(k == 0 ? "" : "/").append(level.columns().get(k)).append('=').append(v.strip());
                }
                if (!missing) {
                    labels[c] = label.toString();
                    if (local.putIfAbsent(labels[c], 0) == null) {
                        // the population becomes a column name in every table written from it
                        String problem = TsvField.problem("population", labels[c]);
                        if (problem != null) {
                            throw new InputFormatException(cells.source(), 0, problem + " (cell " + cells.ids().get(row[c])
                                    + ", column " + level.name() + "): clean that column");
                        }
                    }
                }
            }
            List<String> sorted = new ArrayList<>(local.keySet());
            sorted.sort(NATURAL);
            int base = popNames.size();
            for (int i = 0; i < sorted.size(); i++) {
                local.put(sorted.get(i), base + i);
                popNames.add(sorted.get(i));
                popLevels.add(level.name());
            }
            int[] a = new int[nCells];
            for (int c = 0; c < nCells; c++) {
                a[c] = labels[c] == null ? -1 : local.get(labels[c]);
            }
            assignments.add(a);
        }

        int nGenes = matrix.geneIds().size();
        int nPops = popNames.size();
        long[] cellsPer = new long[nPops];
        for (int[] a : assignments) {
            for (int p : a) {
                if (p >= 0) {
                    cellsPer[p]++;
                }
            }
        }
        long cellsTotal = Memory.times(nGenes, nPops);
        Memory.require(Memory.times(cellsTotal, Double.BYTES + Float.BYTES), nGenes + " genes x " + nPops
                + " populations of pseudobulk sums");
        if (cellsTotal > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(nGenes + " genes x " + nPops + " populations are more targets than scep holds"
                    + " in one table (" + (Integer.MAX_VALUE - 8) + "); use fewer populations");
        }
        double[] sums = new double[(int) cellsTotal];
        int[][] perLevel = assignments.toArray(int[][]::new);
        matrix.forEachEntry((gene, cell, value) -> {
            if (value == 0) {
                return;
            }
            int at = gene * nPops;
            for (int[] a : perLevel) {
                int p = a[cell];
                if (p >= 0) {
                    sums[at + p] += value;
                }
            }
        });
        float unexpressed = bulk ? -3f : -4f;
        float[] targets = new float[sums.length];
        int[] nonZero = new int[nPops];
        for (int g = 0; g < nGenes; g++) {
            for (int p = 0; p < nPops; p++) {
                double s = sums[g * nPops + p];
                if (!Double.isFinite(s)) {
                    // finite values that sum past 1.8e308: the mean (and its log) would be Infinity
                    throw new InputFormatException(matrix.source(), 0, "the expression of gene " + matrix.geneIds().get(g)
                            + " in population " + popNames.get(p) + " sums to more than " + Double.MAX_VALUE
                            + " (values near 1e308): expected counts or normalised expression");
                }
                if (s > 0) {
                    nonZero[p]++;
                    targets[g * nPops + p] = (float) Math.log10(s / cellsPer[p]);
                } else {
                    targets[g * nPops + p] = unexpressed;
                }
            }
        }
        warnBelowUnexpressed(matrix, targets, nPops, popNames, unexpressed);
        List<Population> pops = new ArrayList<>(nPops);
        for (int p = 0; p < nPops; p++) {
            pops.add(new Population(popNames.get(p), popLevels.get(p), cellsPer[p], nonZero[p], bulk));
        }
        return new Table(matrix.geneIds(), matrix.geneNames(), List.copyOf(pops), targets, nCells, annotated);
    }

    /**
     * With no pseudocount, a gene with a tiny positive mean (e.g. 1e-300 from a normalisation artefact) gets a
     * target far below the unexpressed value; that is the definition, but it is rarely what the user meant.
     */
    private static void warnBelowUnexpressed(ExpressionMatrix matrix, float[] targets, int nPops, List<String> popNames,
                                             float unexpressed) {
        int count = 0;
        int worst = -1;
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] < unexpressed) {
                count++;
                if (worst < 0 || targets[i] < targets[worst]) {
                    worst = i;
                }
            }
        }
        if (count > 0) {
            LOG.warn("{} gene × population targets of {} lie below the unexpressed value {} (lowest: gene {} in {}, log10 mean {});"
                    + " tiny positive values in the matrix cause this", count, matrix.source(), unexpressed,
                    matrix.geneIds().get(worst / nPops), popNames.get(worst % nPops), targets[worst]);
        }
    }

    /** For each matrix column, its row in the annotation table, or −1. */
    private static int[] cellRows(ExpressionMatrix matrix, CellTable cells) throws InputFormatException {
        List<String> ids = matrix.cellIds();
        int[] row = new int[ids.size()];
        if (ids.stream().allMatch(java.util.Objects::isNull)) {
            if (cells.ids().size() != ids.size()) {
                throw new InputFormatException(cells.source(), 0, "lists " + cells.ids().size() + " cells but the matrix "
                        + matrix.source() + " has " + ids.size() + " columns and no cell ids of its own to match by");
            }
            for (int i = 0; i < row.length; i++) {
                row[i] = i;
            }
            return row;
        }
        for (int i = 0; i < row.length; i++) {
            row[i] = cells.rowOf(ids.get(i));
        }
        return row;
    }

    /** Orders population labels numerically where their values are numbers ("Hours=8" before "Hours=24"). */
    static final Comparator<String> NATURAL = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                int c = new java.math.BigInteger(a.substring(si, i)).compareTo(new java.math.BigInteger(b.substring(sj, j)));
                if (c != 0) {
                    return c;
                }
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };
}
