"""Small Keras models that exercise model structure: chains, branches, several inputs and
outputs, shared layers, nested models, frozen layers, unbuilt Sequentials."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def seed() -> Any:
    from keras import Model, layers

    image_input = layers.Input(shape=(150, 150, 3))
    x = layers.Conv2D(16, 3, activation="relu")(image_input)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Conv2D(32, 3, activation="relu")(x)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Conv2D(64, 3, activation="relu")(x)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Flatten()(x)
    x = layers.Dense(512, activation="relu")(x)
    output = layers.Dense(1, activation="sigmoid")(x)
    return Model(image_input, output)


def sequential_built() -> Any:
    import keras
    from keras import layers

    return keras.Sequential(
        [
            layers.Input((28, 28, 1)),
            layers.Conv2D(32, 3, padding="same", strides=2, activation="relu"),
            layers.BatchNormalization(),
            layers.DepthwiseConv2D(3, depth_multiplier=2, dilation_rate=2),
            layers.SeparableConv2D(8, 3, padding="same"),
            layers.AveragePooling2D(3, strides=2, padding="same"),
            layers.GlobalMaxPooling2D(),
            layers.Dropout(0.5),
            layers.Dense(10, activation="softmax"),
        ],
        name="mnist_cnn",
    )


def sequential_unbuilt() -> Any:
    import keras
    from keras import layers

    return keras.Sequential([layers.Dense(64, activation="relu"), layers.Dense(10)])


def two_inputs_two_outputs() -> Any:
    import keras
    from keras import layers

    image = keras.Input((32, 32, 3), name="image")
    meta = keras.Input((5,), name="meta")
    x = layers.Conv2D(8, 3, padding="same")(image)
    x = layers.ZeroPadding2D(((1, 2), (0, 1)))(x)
    x = layers.Cropping2D(((0, 1), (1, 0)))(x)
    x = layers.UpSampling2D(2)(x)
    x = layers.GlobalAveragePooling2D()(x)
    y = layers.Dense(8)(meta)
    both = layers.Concatenate()([x, y])
    added = layers.Add()([x, y])
    mixed = layers.Multiply()([both, layers.Dense(16)(added)])
    out_a = layers.Dense(3, name="class")(mixed)
    out_b = layers.Dense(1, name="score")(both)
    return keras.Model([image, meta], [out_a, out_b], name="two_heads")


def shared_layer() -> Any:
    import keras
    from keras import layers

    a = keras.Input((10,))
    b = keras.Input((10,))
    shared = layers.Dense(4, name="shared")
    merged = layers.Subtract()([shared(a), shared(b)])
    return keras.Model([a, b], layers.Dense(1)(merged), name="siamese")


def nested_and_frozen() -> Any:
    import keras
    from keras import layers

    inner = keras.Sequential(
        [layers.Input((16,)), layers.Dense(8), layers.BatchNormalization()], name="inner"
    )
    frozen_dense = layers.Dense(8, name="frozen")
    frozen_dense.trainable = False
    inp = keras.Input((16,))
    x = inner(inp)
    x = frozen_dense(x)
    x = layers.LayerNormalization()(x)
    return keras.Model(inp, layers.Dense(2)(x), name="outer")


def frozen_nested_model() -> Any:
    import keras
    from keras import layers

    inp = keras.Input((12,))
    base = keras.Model(inp, layers.Dense(6)(layers.BatchNormalization()(inp)), name="base")
    base.trainable = False
    top_in = keras.Input((12,))
    return keras.Model(top_in, layers.Dense(3)(base(top_in)), name="finetune")


def conv1d_and_3d() -> Any:
    import keras
    from keras import layers

    seq = keras.Input((100, 12))
    a = layers.Conv1D(16, 5, strides=2, padding="causal", dilation_rate=1)(seq)
    a = layers.MaxPooling1D(2)(a)
    a = layers.GlobalAveragePooling1D()(a)
    vol = keras.Input((16, 16, 16, 2))
    b = layers.Conv3D(4, 3, strides=(1, 2, 2), padding="valid")(vol)
    b = layers.MaxPooling3D(2)(b)
    b = layers.Flatten()(b)
    return keras.Model([seq, vol], layers.Concatenate()([a, b]), name="mixed_ranks")


def channels_first() -> Any:
    import keras
    from keras import layers

    inp = keras.Input((3, 33, 31))
    x = layers.Conv2D(6, (3, 5), strides=(2, 3), data_format="channels_first")(inp)
    x = layers.MaxPooling2D(2, data_format="channels_first", padding="same")(x)
    x = layers.Permute((2, 3, 1))(x)
    x = layers.Reshape((-1, 6))(x)
    return keras.Model(inp, x, name="cf")


ZOO: dict[str, Callable[[], Any]] = {
    "seed": seed,
    "sequential_built": sequential_built,
    "sequential_unbuilt": sequential_unbuilt,
    "two_inputs_two_outputs": two_inputs_two_outputs,
    "shared_layer": shared_layer,
    "nested_and_frozen": nested_and_frozen,
    "frozen_nested_model": frozen_nested_model,
    "conv1d_and_3d": conv1d_and_3d,
    "channels_first": channels_first,
}
