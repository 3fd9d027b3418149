// Largest minus smallest value of the window, with the time of the event that set each.
function main() {
    this.init = function () {
        this.min = null;
        this.max = null;
    }
    this.accumulate = function (value, timestamp) {
        if (!(timestamp instanceof Date)) throw new Error("timestamp is not a Date");
        if (this.min === null || value < this.min.v) this.min = { v: value, at: timestamp };
        if (this.max === null || value > this.max.v) this.max = { v: value, at: timestamp };
    }
    this.computeResult = function () {
        return { size: this.max.v - this.min.v, minAt: this.min.at, maxAt: this.max.at };
    }
}
