# ruff: noqa  (tutorial code kept as people write it)
"""MobileNet-style depthwise separable blocks."""
import keras
from keras import layers


def depthwise_block(x, pointwise_filters, strides=1):
    if strides == 2:
        x = layers.ZeroPadding2D(padding=((0, 1), (0, 1)))(x)
    x = layers.DepthwiseConv2D(3, strides=strides, padding="same" if strides == 1 else "valid",
                               use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU(6.0)(x)
    x = layers.Conv2D(pointwise_filters, 1, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    return layers.ReLU(6.0)(x)


inputs = keras.Input(shape=(96, 96, 3))
x = layers.Conv2D(32, 3, strides=2, padding="same", use_bias=False)(inputs)
x = layers.BatchNormalization()(x)
x = layers.ReLU(6.0)(x)
for filters, strides in [(64, 1), (128, 2), (128, 1), (256, 2)]:
    x = depthwise_block(x, filters, strides)
x = layers.SeparableConv2D(256, 3, padding="same")(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(5, activation="softmax")(x)
model = keras.Model(inputs, outputs, name="mobilenet_like")
model.summary()
