import Foundation

/// Bounded min-heap of (score, row) keeping the `capacity` best; the root is the worst kept entry.
/// "Better" means a higher score, or an equal score and a lower row.
struct TopKHeap {
    struct Element { var score: Float; var row: Int }
    private(set) var elements: [Element] = []
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        elements.reserveCapacity(capacity)
    }

    @inline(__always)
    private static func worse(_ a: Element, _ b: Element) -> Bool {
        a.score < b.score || (a.score == b.score && a.row > b.row)
    }

    @inline(__always)
    mutating func offer(score: Float, row: Int) {
        let element = Element(score: score, row: row)
        if elements.count < capacity {
            elements.append(element)
            siftUp(elements.count - 1)
        } else if Self.worse(elements[0], element) {
            elements[0] = element
            siftDown(0)
        }
    }

    func sortedBestFirst() -> [Element] {
        elements.sorted { Self.worse($1, $0) }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.worse(elements[child], elements[parent]) else { return }
            elements.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < elements.count else { return }
            var worst = left
            let right = left + 1
            if right < elements.count, Self.worse(elements[right], elements[left]) { worst = right }
            guard Self.worse(elements[worst], elements[parent]) else { return }
            elements.swapAt(worst, parent)
            parent = worst
        }
    }
}
