package dev.scep.runtime.personal;

import dev.scep.runtime.variants.GenePanel;

import java.util.List;

/**
 * The output table of {@link PersonalGenomes}: one row per gene and sample, {@code sample, gene_id, gene_name,
 * alt_alleles, <output>...}. Rows are formatted on the worker threads, so the writer only copies text.
 */
final class PersonalTable {
    private PersonalTable() {
    }

    static String header(List<String> outputNames) {
        StringBuilder sb = new StringBuilder("sample\tgene_id\tgene_name\talt_alleles");
        for (String o : outputNames) {
            sb.append('\t').append(o);
        }
        return sb.append('\n').toString();
    }

    /** The rows of one gene: per sample its alternative alleles applied and its predictions. */
    static String rows(GenePanel.Gene g, List<String> samples, int[] altAlleles, float[][] predicted) {
        int n = samples.size();
        StringBuilder sb = new StringBuilder(n * (40 + 12 * (n == 0 ? 0 : predicted[0].length)));
        var t = g.transcript();
        String name = t.geneName() == null ? "" : t.geneName();
        for (int s = 0; s < n; s++) {
            sb.append(samples.get(s)).append('\t').append(t.geneId()).append('\t').append(name).append('\t').append(altAlleles[s]);
            for (float v : predicted[s]) {
                sb.append('\t').append(v);
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
