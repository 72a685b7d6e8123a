package dev.scep.nativebindings.cudnn;

import dev.scep.nativebindings.Status;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A cuDNN descriptor owned by a Java object: created (status checked) when constructed, destroyed (status checked) by
 * {@link #close}, which is idempotent so a failing constructor and its caller's cleanup cannot destroy it twice.
 * Descriptors are host-side objects: creating and setting them needs cuDNN but no GPU.
 */
public abstract sealed class CudnnDescriptor implements AutoCloseable
        permits CudnnTensorDescriptor, CudnnFilterDescriptor, CudnnConvolutionDescriptor, CudnnPoolingDescriptor {

    /** A {@code cudnnCreate…Descriptor} function. */
    @FunctionalInterface
    interface Create {
        int create(MemorySegment out);
    }

    /** A {@code cudnnDestroy…Descriptor} function. */
    @FunctionalInterface
    interface Destroy {
        int destroy(MemorySegment descriptor);
    }

    private final String kind;
    private final Destroy destroy;
    private MemorySegment handle;

    /** {@code kind}: what follows {@code cudnnCreate} in the functions' names, e.g. "TensorDescriptor". */
    CudnnDescriptor(String kind, Create create, Destroy destroy) {
        this.kind = kind;
        this.destroy = destroy;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cell = a.allocate(ValueLayout.ADDRESS);
            Status.cudnn(create.create(cell), "cudnnCreate" + kind);
            handle = cell.get(ValueLayout.ADDRESS, 0);
        }
    }

    /**
     * Runs a {@code cudnnSet…} call on the new descriptor. When it fails, the descriptor is destroyed without checking
     * that status: the caller gets the failure that matters, and no half-made descriptor.
     */
    final void configure(Runnable set) {
        boolean configured = false;
        try {
            set.run();
            configured = true;
        } finally {
            if (!configured) {
                destroy.destroy(handle);
                handle = null;
            }
        }
    }

    /**
     * The descriptor, to pass to cuDNN.
     *
     * @return the {@code cudnn…Descriptor_t}
     * @throws IllegalStateException once closed
     */
    public final MemorySegment handle() {
        if (handle == null) {
            throw new IllegalStateException("the cuDNN " + kind + " is already destroyed");
        }
        return handle;
    }

    @Override
    public final void close() {
        if (handle != null) {
            MemorySegment h = handle;
            handle = null;
            Status.cudnn(destroy.destroy(h), "cudnnDestroy" + kind);
        }
    }

    /**
     * Destroys every descriptor, whatever fails: an engine's clean-up.
     *
     * @param descriptors the descriptors
     * @return the first failure, the later ones suppressed in it, or null when all were destroyed
     */
    public static RuntimeException closeAll(Iterable<? extends CudnnDescriptor> descriptors) {
        RuntimeException failure = null;
        for (CudnnDescriptor d : descriptors) {
            try {
                d.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }
}
