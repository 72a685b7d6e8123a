package dev.scep.runtime.cpu;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses the kernels once per JVM. The Vector API class is loaded reflectively so that its absence is harmless. */
final class KernelSelection {
    private static final Logger LOG = LoggerFactory.getLogger(KernelSelection.class);
    static final Kernels BEST = choose();

    private KernelSelection() {
    }

    private static Kernels choose() {
        if (Boolean.getBoolean("scep.forceScalar")) {
            LOG.info("scep.forceScalar is set: using the scalar CPU kernels");
            return new ScalarKernels();
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            LOG.info("jdk.incubator.vector is not available (run java with --add-modules jdk.incubator.vector): "
                    + "using the scalar CPU kernels");
            return new ScalarKernels();
        }
        try {
            return (Kernels) Class.forName("dev.scep.runtime.cpu.VectorKernels").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.warn("the Vector API kernels could not be loaded ({}): using the scalar CPU kernels", e.toString());
            return new ScalarKernels();
        }
    }
}
