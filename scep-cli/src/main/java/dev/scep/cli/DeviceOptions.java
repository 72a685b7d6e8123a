package dev.scep.cli;

import dev.scep.runtime.Device;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** {@code --device cpu|gpu|auto}. */
final class DeviceOptions {
    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|gpu|auto", converter = DeviceConverter.class,
            description = "Where to run (default: ${DEFAULT-VALUE}). gpu fails at once, naming the missing library or device,"
                    + " when no GPU works; auto takes the GPU when one works, else the CPU.")
    Device device;

    /** The device to use, checked now: before any input is read. */
    Device resolve(PrintWriter err) {
        return device.resolve(note -> err.println("scep: " + note));
    }

    static final class DeviceConverter implements picocli.CommandLine.ITypeConverter<Device> {
        @Override
        public Device convert(String value) {
            try {
                return Device.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
