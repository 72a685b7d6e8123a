package dev.scep.cli;

import dev.scep.cli.OptionRules.Range;
import dev.scep.formats.genome.WindowGeometry;
import picocli.CommandLine.Option;

/** {@code --upstream}/{@code --downstream}: the window around each TSS (DESIGN §3), for the commands that cut windows. */
final class WindowOptions {
    @Range(min = 0, max = 16_000_000)
    @Option(names = "--upstream", defaultValue = "7000", description = "Bases upstream of the TSS (default: ${DEFAULT-VALUE}).")
    int upstream;

    @Range(min = 1, max = 16_000_000)
    @Option(names = "--downstream", defaultValue = "3500", description = "Bases from the TSS on, TSS included (default: ${DEFAULT-VALUE}).")
    int downstream;

    WindowGeometry geometry() {
        return new WindowGeometry(upstream, downstream);
    }
}
