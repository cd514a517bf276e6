print("taalm-bench: not built yet")
