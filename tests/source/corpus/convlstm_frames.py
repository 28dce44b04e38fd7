# ruff: noqa  (tutorial code kept as people write it)
"""Next-frame prediction with ConvLSTM2D layers (keras.io example style)."""
import keras
from keras import layers

inp = layers.Input(shape=(None, 32, 32, 1))
x = layers.ConvLSTM2D(filters=16, kernel_size=(5, 5), padding="same", return_sequences=True, activation="relu")(inp)
x = layers.BatchNormalization()(x)
x = layers.ConvLSTM2D(filters=16, kernel_size=(3, 3), padding="same", return_sequences=True, activation="relu")(x)
x = layers.BatchNormalization()(x)
x = layers.ConvLSTM2D(filters=16, kernel_size=(1, 1), padding="same", return_sequences=True, activation="relu")(x)
x = layers.Conv3D(filters=1, kernel_size=(3, 3, 3), activation="sigmoid", padding="same")(x)
model = keras.models.Model(inp, x)
model.summary()
