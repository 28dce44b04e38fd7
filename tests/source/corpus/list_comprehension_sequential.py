# ruff: noqa  (tutorial code kept as people write it)
import keras
from keras import layers

hidden = [256, 128, 64]
model = keras.Sequential(
    [keras.Input(shape=(32,))]
    + [layers.Dense(u, activation="relu") for u in hidden]
    + [layers.Dense(1)]
)
model.summary()
