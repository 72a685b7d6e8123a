package dev.scep.cli;

import dev.scep.cli.OptionRules.Output;
import dev.scep.formats.model.ScepModel;
import dev.scep.runtime.personal.PersonalGenomes;
import dev.scep.runtime.variants.GenePanel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "personal", description = {
        "Predict every gene for every sample of a VCF from the sample's own genome: both haplotypes of each gene's window",
        "(phased SNVs applied; identical haplotypes predicted once), the prediction being their mean. Unphased",
        "heterozygous genotypes are an error unless --dosage (additive: reference + dosage/2 x each allele's effect).",
        "Indels, MNPs, symbolic alleles and ambiguous ALT alleles (N) are skipped, each with its own count.",
        "Rows: sample, gene_id, gene_name, alt_alleles, <outputs>."})
final class PersonalCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    GenomeVariantOptions input;

    @Output
    @Option(names = "--out", required = true, paramLabel = "P.tsv", description = "Predictions (written atomically).")
    Path out;

    @Option(names = "--dosage", description = "Accept unphased genotypes: additive dosage model instead of haplotypes.")
    boolean dosage;

    @Mixin
    DeviceOptions device;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        int n = input.threads(spec.commandLine());
        dev.scep.runtime.Device where = device.resolve(spec.commandLine().getErr());   // before any input is read
        ScepModel m = input.readModel();
        GenePanel panel = input.loadPanel(m);
        PersonalGenomes.Options options = new PersonalGenomes.Options(n, dosage ? PersonalGenomes.Mode.DOSAGE : PersonalGenomes.Mode.PHASED,
                input.halfLife(), where);
        Progress progress = new Progress(spec.commandLine().getErr(), "personal: genes");
        PersonalGenomes.Summary s = PersonalGenomes.run(m, panel, input.vcf, out, options, progress::update);
        progress.finish();
        PrintWriter o = spec.commandLine().getOut();
        o.printf("%,d samples x %,d genes; %,d records: %,d SNV alleles applied, %,d indel and %,d symbolic alleles skipped,"
                        + " %,d MNP and %,d ambiguous ALT (N) alleles skipped, %,d REF mismatches%s, %,d missing genotypes read"
                        + " as reference%n", s.samples(), s.genes(), s.records(), s.snvAlleles(), s.indelAlleles(),
                s.symbolicAlleles(), s.mnpAlleles(), s.ambiguousAlleles(), s.refMismatches(),
                s.mismatchExamples().isEmpty() ? "" : " (e.g. " + s.mismatchExamples() + ")", s.missingGenotypes());
        if (dosage) {
            o.printf("dosage mode: %,d allele effects computed%n", s.distinctHaplotypes());
        } else {
            o.printf("%,d haplotypes, %,d distinct ones predicted (%.1f per gene)%n", s.haplotypes(), s.distinctHaplotypes(),
                    s.distinctHaplotypes() / (double) Math.max(1, s.genes()));
        }
        o.printf("%.1f s on %d threads -> %s%n", s.nanos() / 1e9, n, out);
        return 0;
    }
}
