# ruff: noqa  (tutorial code kept as people write it)
"""Two inputs, two outputs (house prices from an image and tabular data)."""
from tensorflow.keras.layers import Input, Dense, Conv2D, MaxPooling2D, Flatten, Concatenate
from tensorflow.keras.models import Model

image = Input(shape=(64, 64, 3), name="image")
tabular = Input(shape=(12,), name="tabular")

x = Conv2D(16, 3, activation="relu")(image)
x = MaxPooling2D()(x)
x = Conv2D(32, 3, activation="relu")(x)
x = MaxPooling2D()(x)
x = Flatten()(x)
x = Dense(64, activation="relu")(x)

t = Dense(32, activation="relu")(tabular)
t = Dense(16, activation="relu")(t)

merged = Concatenate()([x, t])
h = Dense(32, activation="relu")(merged)
price = Dense(1, name="price")(h)
category = Dense(4, activation="softmax", name="category")(h)

model = Model(inputs=[image, tabular], outputs=[price, category])
model.compile(optimizer="adam", loss={"price": "mse", "category": "categorical_crossentropy"})
model.summary()
