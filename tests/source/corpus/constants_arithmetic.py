# ruff: noqa  (tutorial code kept as people write it)
"""Module-level constants and arithmetic decide every size."""
from keras import layers, models

IMG_SIZE = 48
CHANNELS = 1
NUM_CLASSES = 7
WIDTH = 2
FILTERS = [16 * WIDTH, 32 * WIDTH]
DENSE_UNITS = NUM_CLASSES * 8 + 8
DROP = 0.25

model = models.Sequential(name="fer")
model.add(layers.Input(shape=(IMG_SIZE, IMG_SIZE, CHANNELS)))
for f in FILTERS:
    model.add(layers.Conv2D(f, (3, 3), padding="same", activation="relu"))
    model.add(layers.MaxPooling2D(pool_size=(IMG_SIZE // 24, IMG_SIZE // 24)))
model.add(layers.Flatten())
model.add(layers.Dense(DENSE_UNITS, activation="relu"))
model.add(layers.Dropout(DROP))
model.add(layers.Dense(NUM_CLASSES, activation="softmax"))
model.summary()
