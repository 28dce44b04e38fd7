# ruff: noqa  (tutorial code kept as people write it)
import keras
from keras import layers

inputs = keras.Input(shape=(30, 30, 3))
x = layers.ZeroPadding2D(padding=2)(inputs)
x = layers.Cropping2D(cropping=((1, 1), (2, 2)))(x)
x = layers.Conv2D(8, 3)(x)
x = layers.Reshape((-1, 8))(x)
x = layers.Permute((2, 1))(x)
x = layers.Flatten()(x)
x = layers.Dense(16)(x)
x = layers.RepeatVector(4)(x)
x = layers.UpSampling1D(2)(x)
x = layers.ZeroPadding1D(1)(x)
x = layers.Cropping1D((0, 2))(x)
outputs = layers.Conv1D(3, 2)(x)
model = keras.Model(inputs, outputs)
model.summary()
