package dev.scep.cli;

import dev.scep.cli.OptionRules.Output;
import dev.scep.formats.io.OutputFile;
import dev.scep.formats.text.TsvField;
import dev.scep.train.prepare.DatasetPreparation;
import dev.scep.train.prepare.Pseudobulk;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "pseudobulk", description = {
        "Aggregate single-cell (or bulk) expression into log10 mean expression per population",
        "(-4 for genes expressed in no cell of a population, -3 with --bulk) and report, per population,",
        "its cells and the genes expressed in at least one of them."})
final class PseudobulkCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ExpressionOptions expression;

    @Output
    @Option(names = "--out", required = true, paramLabel = "P.tsv", description = "Output: gene_id, gene_name, one column per population.")
    Path out;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (expression.matrix == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--expression is required");
        }
        DatasetPreparation.Expression e = expression.toExpression(spec.commandLine());
        Pseudobulk.Table t = e.pseudobulk(note -> spec.commandLine().getErr().println("scep pseudobulk: warning: " + note));
        int pops = t.populations().size();
        try (OutputFile file = OutputFile.createTable(out, expression.matrix, expression.genes, expression.barcodes, expression.cells)) {
            Writer w = file.writer();
            w.write("gene_id\tgene_name");
            for (var p : t.populations()) {
                w.write('\t');
                w.write(TsvField.check("population", p.name()));
            }
            w.write('\n');
            for (int g = 0; g < t.geneIds().size(); g++) {
                w.write(TsvField.check("gene id", t.geneIds().get(g)));
                w.write('\t');
                String name = t.geneNames().get(g);
                w.write(name == null ? "" : TsvField.check("gene name", name));
                for (int p = 0; p < pops; p++) {
                    w.write('\t');
                    w.write(Float.toString(t.target(g, p)));
                }
                w.write('\n');
            }
            file.commit();
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf("%,d genes × %,d cells (%,d annotated) -> %,d populations -> %s%n", t.geneIds().size(), t.matrixCells(),
                t.annotatedCells(), pops, out);
        ExpressionOptions.printPopulations(o, t.populations());
        return 0;
    }
}
