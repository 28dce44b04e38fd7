# ruff: noqa  (tutorial code kept as people write it)
# Building a Sequential model with add() inside a loop, sizes from a list
from keras.models import Sequential
from keras.layers import Dense, Dropout, Input

LAYER_SIZES = [512, 256, 128]
model = Sequential()
model.add(Input(shape=(784,)))
for i, size in enumerate(LAYER_SIZES):
    model.add(Dense(size, activation="relu", name=f"hidden_{i}"))
    if i < len(LAYER_SIZES) - 1:
        model.add(Dropout(0.2))
model.add(Dense(10, activation="softmax"))
model.summary()
