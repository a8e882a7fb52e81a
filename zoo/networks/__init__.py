"""Network builders of the zoo: functions returning functional `keras.Model`s."""
