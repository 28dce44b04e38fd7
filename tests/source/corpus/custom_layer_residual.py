# ruff: noqa  (tutorial code kept as people write it)
"""A residual block written as a Layer subclass (Conv2D + BatchNorm + Add), used twice,
and one instance shared by two calls."""
import keras
from keras import layers


class ResidualBlock(layers.Layer):
    def __init__(self, filters, kernel_size=3, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = layers.Conv2D(filters, kernel_size, padding="same")
        self.bn1 = layers.BatchNormalization()
        self.conv2 = layers.Conv2D(filters, kernel_size, padding="same")
        self.bn2 = layers.BatchNormalization()
        self.add = layers.Add()
        self.relu = layers.ReLU()

    def call(self, inputs, training=False):
        x = self.conv1(inputs)
        x = self.bn1(x, training=training)
        x = keras.activations.relu(x)
        x = self.conv2(x)
        x = self.bn2(x, training=training)
        x = self.add([x, inputs])
        return self.relu(x)


inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
x = ResidualBlock(16)(x)
x = layers.MaxPooling2D()(x)
x = layers.Conv2D(32, 3, padding="same")(x)
shared = ResidualBlock(32, name="shared_block")
x = shared(x)
x = shared(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs, name="resnet_custom")
model.summary()
