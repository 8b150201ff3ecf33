# -*- Python -*-
# lit configuration of the tfm regression tests.

import os

import lit.formats
from lit.llvm import llvm_config

config.name = "TFM"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test", ".onnxtxt"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.tfm_obj_root, "test")
# Unit/ is a nested suite with its own site configuration (GoogleTest).
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py",
                   "lit.site.cfg.py", "Inputs"]

llvm_config.use_default_substitutions()
config.substitutions.append(("%tfm_src", config.tfm_src_root))
config.substitutions.append(("%tfm_build", config.tfm_obj_root))

# ONNX's backend node tests (libonnx-testdata).
if os.path.isdir("/usr/share/libonnx-testdata/data/node"):
    config.available_features.add("onnx-testdata")

# ONNX Runtime (npm onnxruntime-node), installed by scripts/install-deps.sh.
ort_dir = os.environ.get("TFM_ORT_DIR",
                         os.path.join(config.tfm_obj_root, "deps", "ort"))
if os.path.isdir(os.path.join(ort_dir, "node_modules", "onnxruntime-node")):
    config.available_features.add("onnxruntime")
    config.environment["TFM_ORT_DIR"] = ort_dir

# The host CPU's vector extensions, for tests that run code compiled for a
# wider target than the baseline (the machines vary: Zen 3 has AVX2 only).
try:
    with open("/proc/cpuinfo") as cpuinfo:
        host_flags = set()
        for line in cpuinfo:
            if line.startswith("flags"):
                host_flags.update(line.split(":", 1)[1].split())
                break
except OSError:
    host_flags = set()
if {"avx512f", "avx512bw", "avx512vl"} <= host_flags:
    config.available_features.add("host-avx512")
    if "avx512_vnni" in host_flags:
        config.available_features.add("host-avx512-vnni")

# The CUDA toolkit (compile only: no GPU is needed): its PTX assembler, and
# libdevice, which the NVVM lowering links for math functions (found
# through CUDA_HOME, which lit does not pass on by itself).
cuda_home = os.environ.get("CUDA_HOME", "/usr/local/cuda")
ptxas = os.path.join(cuda_home, "bin", "ptxas")
if os.access(ptxas, os.X_OK):
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))
if os.path.isdir(os.path.join(cuda_home, "nvvm", "libdevice")):
    config.available_features.add("cuda-libdevice")
    config.environment["CUDA_HOME"] = cuda_home

# The stand-in CUDA driver (runtime/test/fake_cuda.c): GPU models' host
# side runs against it without a GPU. A real driver, where there is one,
# enables the GPU execution tests.
config.substitutions.append(
    ("%fake_cuda_dir", os.path.join(config.tfm_obj_root, "test", "fake-cuda")))
try:
    import ctypes

    ctypes.CDLL("libcuda.so.1")
    config.available_features.add("cuda-driver")
except OSError:
    pass

# mlir-runner and its support libraries (OpenMP for the parallel loops), for
# tests that run code the pipeline lowered without going through the tfm
# runtime's ABI (dynamic shapes, which that ABI does not take yet).
llvm_lib_dir = os.path.join(os.path.dirname(config.llvm_tools_dir), "lib")
config.substitutions.append(
    ("%mlir_runner_libs",
     " ".join("-shared-libs=" + os.path.join(llvm_lib_dir, lib)
              for lib in ("libmlir_c_runner_utils.so", "libomp.so"))))

# Debian's Python, which has python3-onnx, numpy and torch.
config.substitutions.append(("%python", "/usr/bin/python3"))

# The C compiler that links test programs against tfmc-built libraries (an
# instrumented runtime needs its sanitizers' runtimes).
host_cc = config.host_cc
if config.tfm_sanitizers:
    host_cc += " -fsanitize=" + config.tfm_sanitizers
    config.available_features.add("sanitizers")
    # Every report is fatal and names the test; leaks are checked too.
    for var in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if var in os.environ:
            config.environment[var] = os.environ[var]
config.substitutions.append(("%host_cc", host_cc))

tool_dirs = [config.tfm_tools_dir, config.llvm_tools_dir]
tools = ["tfm-opt", "tfm-translate", "tfmc", "tfm-run", "mlir-runner"]
# The importer's fuzz target, in builds with -DTFM_FUZZERS=ON.
if os.path.exists(os.path.join(config.tfm_tools_dir, "tfm-fuzz-onnx")):
    config.available_features.add("fuzzers")
    tools.append("tfm-fuzz-onnx")
llvm_config.add_tool_substitutions(tools, tool_dirs)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
