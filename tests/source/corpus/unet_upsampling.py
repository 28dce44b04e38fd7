# ruff: noqa  (tutorial code kept as people write it)
"""Small U-Net with skip connections (UpSampling2D decoder)."""
from keras import layers, Model


def down(x, filters):
    c = layers.Conv2D(filters, 3, activation="relu", padding="same")(x)
    c = layers.Conv2D(filters, 3, activation="relu", padding="same")(c)
    p = layers.MaxPooling2D((2, 2))(c)
    return c, p


def up(x, skip, filters):
    u = layers.UpSampling2D((2, 2))(x)
    u = layers.concatenate([u, skip])
    c = layers.Conv2D(filters, 3, activation="relu", padding="same")(u)
    c = layers.Conv2D(filters, 3, activation="relu", padding="same")(c)
    return c


inputs = layers.Input((128, 128, 1))
skips = []
x = inputs
for f in [16, 32, 64]:
    s, x = down(x, f)
    skips.append(s)
x = layers.Conv2D(128, 3, activation="relu", padding="same")(x)
for f, s in zip([64, 32, 16], reversed(skips)):
    x = up(x, s, f)
outputs = layers.Conv2D(1, 1, activation="sigmoid")(x)
model = Model(inputs=[inputs], outputs=[outputs])
model.summary()
