print("taalm: not built yet")
