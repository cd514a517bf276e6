// swift-tools-version: 6.0
import PackageDescription

// Kernels must compile to real vector FMA instructions: with the default x86-64
// target, SIMD16<Float>.addProduct becomes a software fma call (~100x slower).
// `-target-cpu native` targets the CPU that builds (CI and users build where they run).
// TensorCore is optimised even in debug builds so `swift test` runs at kernel speed.
let kernelFlags: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-target-cpu", "native"]),
]
let releaseFlags: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-target-cpu", "native"], .when(configuration: .release)),
]

let package = Package(
    name: "taalm",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "taalm", targets: ["taalm"]),
        .executable(name: "taalm-bench", targets: ["taalm-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Part 0: the Ctrl-C flag shared by the evaluator and native loops.
        .target(name: "Interrupts"),
        // Part 0: JSON values, a strict parser and a Python-compatible writer (the released
        // LAMA-ckl files, safetensors headers, exported tables). Imports nothing.
        .target(name: "JSONText", swiftSettings: releaseFlags),
        // Part 1: the tensor + autodiff core. Imports nothing of the rest.
        .target(name: "TensorCore", dependencies: ["Interrupts"], swiftSettings: kernelFlags),
        // Part 2: parameters, layers, language models, LoRA/adapters, optimizers,
        // tokenizers, training and safetensors checkpoints. Built optimised in debug too
        // (its hot paths are the training step's glue around the kernels).
        .target(name: "NN", dependencies: ["TensorCore", "Interrupts", "JSONText"], swiftSettings: kernelFlags),
        // Part 3: Train-Attention — token weighting, the meta-gradient engines, the meta-trainer.
        .target(name: "TrainAttention", dependencies: ["TensorCore", "NN"], swiftSettings: kernelFlags),
        // Part 4: CKL benchmarks and protocols — the generated LAMA-ckl-style world, the
        // released LAMA-ckl JSONL units, a TemporalWiki-style world (data layer); tokenising
        // units, the pretraining recipe, the LAMA-ckl and TemporalWiki protocols, the methods
        // and the result values (protocol layer). Never prints or renders. Optimised in debug
        // too, so debug and release builds produce the same CKL numbers.
        .target(name: "CKL", dependencies: ["TensorCore", "NN", "TrainAttention", "Interrupts", "JSONText"], swiftSettings: kernelFlags),
        // Part 5: the language. Knows values and native objects, never tensors.
        .target(name: "Language", dependencies: ["Interrupts"], swiftSettings: releaseFlags),
        // Part 6: builtins exposing the lower parts to the language (Display renders their values).
        .target(name: "Runtime", dependencies: ["TensorCore", "Language", "Interrupts", "NN", "TrainAttention", "CKL", "Display"],
                swiftSettings: releaseFlags),
        // GNU readline, as a system library (libreadline-dev).
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
        // Part 7: turns data into text (terminal, SVG, HTML, Markdown). Imports only JSONText.
        .target(name: "Display", dependencies: ["JSONText"]),
        // Part 8: the executable.
        .executableTarget(
            name: "taalm",
            dependencies: [
                "Runtime", "Language", "Display", "CReadline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: releaseFlags
        ),
        .executableTarget(name: "taalm-bench", dependencies: ["TensorCore", "NN", "TrainAttention", "Runtime", "Language"], swiftSettings: releaseFlags),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore"]),
        .testTarget(name: "NNTests", dependencies: ["NN", "TensorCore", "Interrupts"]),
        .testTarget(name: "TrainAttentionTests", dependencies: ["TrainAttention", "TensorCore"]),
        .testTarget(name: "CKLTests", dependencies: ["CKL", "TensorCore", "NN", "TrainAttention", "Interrupts", "JSONText"]),
        // The golden-script format shared by the language's and the runtime's tests.
        .target(name: "GoldenSupport", path: "Tests/GoldenSupport"),
        .testTarget(name: "LanguageTests", dependencies: ["Language", "GoldenSupport"], exclude: ["golden"]),
        .testTarget(name: "DisplayTests", dependencies: ["Display"]),
        .testTarget(name: "TaalmTests", dependencies: ["Runtime", "Language", "TensorCore", "NN", "Interrupts", "Display", "GoldenSupport"], exclude: ["golden"]),
    ]
)
