# ruff: noqa  (tutorial code kept as people write it)
"""Older tf.keras spellings: InputLayer(input_shape=...), Dense(input_shape=...),
activation functions passed as objects, MaxPool2D, regularizers and initializers."""
import tensorflow as tf
from tensorflow import keras

model = keras.Sequential([
    keras.layers.InputLayer(input_shape=(64, 64, 3)),
    tf.keras.layers.Rescaling(1.0 / 255),
    keras.layers.Conv2D(16, (3, 3), activation=keras.activations.relu, kernel_initializer="he_normal",
                        kernel_regularizer=keras.regularizers.l2(0.01)),
    keras.layers.MaxPool2D(pool_size=(2, 2)),
    keras.layers.Conv2D(32, 3, activation="relu", padding="same", use_bias=False),
    keras.layers.BatchNormalization(momentum=0.8),
    keras.layers.GlobalMaxPooling2D(),
    keras.layers.Dense(10, activation=keras.activations.softmax),
])
model.summary()

mlp = keras.models.Sequential()
mlp.add(keras.layers.Dense(32, input_shape=(784,), activation="relu"))
mlp.add(keras.layers.Dense(10, activation="softmax"))
mlp.summary()
