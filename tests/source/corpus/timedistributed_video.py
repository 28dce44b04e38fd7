# ruff: noqa  (tutorial code kept as people write it)
"""Frame-wise CNN with TimeDistributed, then an LSTM over the frames."""
import keras
from keras import layers

frames = keras.Input(shape=(8, 32, 32, 3))
x = layers.TimeDistributed(layers.Conv2D(16, 3, activation="relu"))(frames)
x = layers.TimeDistributed(layers.MaxPooling2D())(x)
x = layers.TimeDistributed(layers.Flatten())(x)
x = layers.LSTM(32)(x)
outputs = layers.Dense(4, activation="softmax")(x)
model = keras.Model(frames, outputs)
model.summary()
