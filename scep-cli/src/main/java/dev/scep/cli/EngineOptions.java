package dev.scep.cli;

import dev.scep.cli.OptionRules.Range;
import dev.scep.runtime.Backend;
import dev.scep.runtime.Predictor;
import picocli.CommandLine.Option;

/** How to run the network: backend and threads. */
final class EngineOptions {
    @Option(names = "--backend", defaultValue = "auto", paramLabel = "auto|vector|scalar|reference",
            converter = BackendConverter.class,
            description = "CPU implementation (default: ${DEFAULT-VALUE}: the Vector API when available, else scalar).")
    Backend backend;

    @Range(min = 1, max = 4096)
    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all processors).")
    Integer threads;

    Predictor.Options toOptions() {
        Predictor.Options o = Predictor.Options.defaults().withBackend(backend);
        return threads == null ? o : o.withThreads(threads);
    }

    static final class BackendConverter implements picocli.CommandLine.ITypeConverter<Backend> {
        @Override
        public Backend convert(String value) {
            try {
                return Backend.valueOf(value.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("unknown backend '" + value
                        + "' (expected auto, vector, scalar or reference)");
            }
        }
    }
}
