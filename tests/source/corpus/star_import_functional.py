# ruff: noqa  (tutorial code kept as people write it)
from tensorflow.keras.layers import *
from tensorflow.keras.models import Model

inp = Input(shape=(64, 64, 3))
x = Conv2D(32, (3, 3), padding='same', activation='relu')(inp)
x = BatchNormalization()(x)
x = MaxPooling2D()(x)
x = Conv2D(64, (3, 3), padding='same', activation='relu')(x)
x = BatchNormalization()(x)
x = GlobalAveragePooling2D()(x)
x = Dense(64, activation='relu')(x)
out = Dense(5, activation='softmax')(x)
model = Model(inputs=inp, outputs=out)
model.summary()
