# ruff: noqa  (tutorial code kept as people write it)
# Siamese network: one encoder model applied to two inputs
from keras import layers, Model, Input

def make_encoder():
    inp = Input(shape=(28, 28, 1))
    x = layers.Conv2D(32, 3, activation="relu")(inp)
    x = layers.MaxPooling2D()(x)
    x = layers.Flatten()(x)
    x = layers.Dense(64)(x)
    return Model(inp, x, name="encoder")

encoder = make_encoder()
left = Input(shape=(28, 28, 1), name="left")
right = Input(shape=(28, 28, 1), name="right")
a = encoder(left)
b = encoder(right)
diff = layers.Subtract()([a, b])
score = layers.Dense(1, activation="sigmoid")(diff)
siamese = Model([left, right], score, name="siamese")
encoder.summary()
siamese.summary()
