// Largest gap between consecutive event times, in seconds (events arrive in time order).
function main() {
    this.init = function () {
        this.last = null;
        this.gap = 0;
    }

    this.accumulate = function (value, timestamp) {
        var ms = timestamp.getTime();
        if (this.last !== null && ms - this.last > this.gap) this.gap = ms - this.last;
        this.last = ms;
    }

    this.computeResult = function () {
        return this.gap / 1000;
    }
}
