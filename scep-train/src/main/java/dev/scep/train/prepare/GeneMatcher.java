package dev.scep.train.prepare;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the expression-matrix row of an annotated gene: by exact gene id, then by the id without its version suffix
 * ({@code ENSG00000141510.16} ↔ {@code ENSG00000141510}), then by gene symbol. A key that names more than one matrix
 * row is not used for matching (it would be a guess).
 */
public final class GeneMatcher {
    private static final int AMBIGUOUS = -2;

    /** How an annotated gene found its matrix row (the preparation counts each, see {@link DatasetPreparation.Report#matches}). */
    public enum How {
        /** By the exact gene id. */
        ID,
        /** By the gene id without its version suffix, on either side. */
        ID_WITHOUT_VERSION,
        /** By the annotation's gene name against the matrix's symbols (a row without a symbol offers its id). */
        SYMBOL,
        /** No row: the gene is left out. */
        NONE
    }

    record Match(int row, How how) {
    }

    private final Map<String, Integer> byId = new HashMap<>();
    private final Map<String, Integer> byUnversioned = new HashMap<>();
    private final Map<String, Integer> bySymbol = new HashMap<>();

    GeneMatcher(List<String> ids, List<String> symbols) {
        for (int i = 0; i < ids.size(); i++) {
            put(byId, ids.get(i), i);
            put(byUnversioned, unversioned(ids.get(i)), i);
            String symbol = symbols == null ? null : symbols.get(i);
            put(bySymbol, symbol != null ? symbol : ids.get(i), i);
        }
    }

    private static void put(Map<String, Integer> map, String key, int row) {
        if (key != null && !key.isEmpty()) {
            map.merge(key, row, (a, b) -> a.equals(b) ? a : AMBIGUOUS);
        }
    }

    /** {@code ENSG00000141510.16} → {@code ENSG00000141510}; other ids unchanged. */
    static String unversioned(String id) {
        int dot = id.lastIndexOf('.');
        if (dot > 0 && dot < id.length() - 1 && id.substring(dot + 1).chars().allMatch(Character::isDigit)) {
            return id.substring(0, dot);
        }
        return id;
    }

    Match match(String geneId, String geneName) {
        Integer r = byId.get(geneId);
        if (r != null && r >= 0) {
            return new Match(r, How.ID);
        }
        r = byUnversioned.get(unversioned(geneId));
        if (r != null && r >= 0) {
            return new Match(r, How.ID_WITHOUT_VERSION);
        }
        if (geneName != null) {
            r = bySymbol.get(geneName);
            if (r != null && r >= 0) {
                return new Match(r, How.SYMBOL);
            }
        }
        return new Match(-1, How.NONE);
    }
}
