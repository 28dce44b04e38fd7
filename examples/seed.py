"""The seed example: a small CNN whose first Conv2D shows (None, 148, 148, 16) and 448.

Run it with Keras 3 installed (any backend) to rebuild the saved copies in this folder:

    KERAS_BACKEND=torch python examples/seed.py
"""

from keras import Model, layers

image_input = layers.Input(shape=(150, 150, 3))
x = layers.Conv2D(16, 3, activation='relu')(image_input)
x = layers.MaxPooling2D(2)(x)
x = layers.Conv2D(32, 3, activation='relu')(x)
x = layers.MaxPooling2D(2)(x)
x = layers.Conv2D(64, 3, activation='relu')(x)
x = layers.MaxPooling2D(2)(x)
x = layers.Flatten()(x)
x = layers.Dense(512, activation='relu')(x)
output = layers.Dense(1, activation='sigmoid')(x)
model = Model(image_input, output)

if __name__ == "__main__":
    import pathlib

    here = pathlib.Path(__file__).parent
    model.save(here / "seed.keras")
    (here / "seed_config.json").write_text(model.to_json(indent=2) + "\n")
    model.summary()
