import Testing
@testable import Display

@Suite struct NotebookCellsTests {
    @Test func fileWithoutMarkersIsOneCodeCell() {
        let cells = NotebookCells.split("let x = 1\nprint(x)\n")
        #expect(cells.count == 1)
        #expect(cells[0].kind == .code)
        #expect(cells[0].source == "let x = 1\nprint(x)")
        #expect(cells[0].firstLine == 1)
        #expect(cells[0].markerLine == nil)
        #expect(NotebookCells.hasMarkers("let x = 1") == false)
    }

    @Test func emptyFileIsOneEmptyCell() {
        let cells = NotebookCells.split("")
        #expect(cells.count == 1)
        #expect(cells[0].source == "")
    }

    @Test func titlesMarkdownCellsAndLineNumbers() {
        let text = """
        # a header comment before any marker
        let seed = 7

        # %% Setup
        let x = 1

        # %% [markdown]
        # # Results
        #
        # Weights *matter*.
        # %% Train [markdown]
        # prose with a title
        #%%
        print(x)
        # %%% not a marker
        """
        let cells = NotebookCells.split(text)
        #expect(cells.count == 5)
        #expect(cells[0].kind == .code && cells[0].title == nil && cells[0].firstLine == 1)
        #expect(cells[0].source == "# a header comment before any marker\nlet seed = 7")
        #expect(cells[1].kind == .code && cells[1].title == "Setup" && cells[1].markerLine == 4 && cells[1].firstLine == 5)
        #expect(cells[1].source == "let x = 1")
        #expect(cells[2].kind == .markdown && cells[2].title == nil && cells[2].firstLine == 8)
        #expect(cells[2].source == "# Results\n\nWeights *matter*.")
        #expect(cells[3].kind == .markdown && cells[3].title == "Train" && cells[3].source == "prose with a title")
        #expect(cells[4].kind == .code && cells[4].markerLine == 13 && cells[4].firstLine == 14)
        #expect(cells[4].source == "print(x)\n# %%% not a marker")
    }

    @Test func leadingBlankLinesShiftFirstLineAndEmptyCellsStay() {
        let cells = NotebookCells.split("# %%\n\n\nlet y = 2\n# %%\n# %% [raw]\nraw text\r\n")
        #expect(cells.count == 3)
        #expect(cells[0].firstLine == 4)
        #expect(cells[1].source == "" && cells[1].firstLine == 6)
        #expect(cells[2].kind == .raw && cells[2].source == "raw text")
    }
}
