package dev.scep.cli;

import dev.scep.cli.OptionRules.Output;
import dev.scep.train.evaluate.PersonalEvaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "evaluate-personal", description = {
        "Personal-genome predictions against measured expression: Spearman r across genes per individual and across",
        "individuals per gene (with histograms); given one variant per gene (--variants with --vcf), the predicted",
        "direction of its effect against the measured one; several --predictions (scEP, Enformer, Basenji2, ExPecto,",
        "Xpresso... in the same layout: sample, gene_id, value) are compared pairwise on direction and magnitude."})
final class EvaluatePersonalCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--predictions", required = true, paramLabel = "[NAME=]P.tsv",
            description = "Predictions table (repeat for several models; NAME defaults to the file name).")
    List<String> predictions;

    @Option(names = "--column", paramLabel = "C", description = "The value column of the prediction tables (needed when a table has several).")
    String column;

    @Option(names = "--expression", required = true, paramLabel = "E.tsv",
            description = "Measured expression: gene ids in the first column, one column per sample.")
    Path expression;

    @Option(names = "--variants", paramLabel = "Q.tsv",
            description = "One variant per gene: columns gene_id, variant (VCF ID or contig:pos:ref:alt), optionally beta.")
    Path variants;

    @Option(names = "--vcf", paramLabel = "V", description = "Genotypes giving the variants' dosages (with --variants).")
    Path vcf;

    @Output(folder = true)
    @Option(names = "--out-dir", paramLabel = "DIR", description = "Also write per_individual.tsv, per_gene.tsv, effects.tsv and summary.txt.")
    Path outDir;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (variants != null && vcf == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--variants needs --vcf (the genotypes give the dosages)");
        }
        List<PersonalEvaluation.Model> models = new ArrayList<>();
        for (String p : predictions) {
            int eq = p.indexOf('=');
            Path file = Path.of(eq < 0 ? p : p.substring(eq + 1));
            String name = eq < 0 ? file.getFileName().toString().replaceFirst("\\.tsv(\\.gz)?$", "") : p.substring(0, eq);
            models.add(PersonalEvaluation.readPredictions(name, file, column));
        }
        var measured = PersonalEvaluation.readExpression(expression);
        PersonalEvaluation.Result r = PersonalEvaluation.evaluate(models, measured, variants, vcf);
        int wanted = 0;
        if (variants != null) {
            try (var lines = Files.lines(variants)) {
                wanted = (int) lines.skip(1).filter(l -> !l.isEmpty()).count();
            }
        }
        String report = PersonalEvaluation.report(r, wanted);
        spec.commandLine().getOut().print(report);
        if (outDir != null) {
            List<Path> inputs = new ArrayList<>(List.of(expression));
            models.forEach(m -> inputs.add(m.file()));
            inputs.add(variants);
            inputs.add(vcf);
            Path[] in = inputs.toArray(Path[]::new);
            PersonalEvaluation.writeTables(r, outDir, in);
            try (dev.scep.formats.io.OutputFile f = dev.scep.formats.io.OutputFile.create(outDir.resolve("summary.txt"), in)) {
                f.writer().write(report);
                f.commit();
            }
        }
        return 0;
    }
}
