# ruff: noqa  (tutorial code kept as people write it)
import keras
from keras import layers

inputs = keras.Input((32, 32, 16, 1))
x = layers.Conv3D(8, 3, activation="relu")(inputs)
x = layers.MaxPooling3D(2)(x)
x = layers.Conv3D(16, (3, 3, 1), padding="same")(x)
x = layers.BatchNormalization()(x)
x = layers.GlobalAveragePooling3D()(x)
outputs = layers.Dense(2)(x)
model = keras.Model(inputs, outputs, name="volume_net")
model.summary()
