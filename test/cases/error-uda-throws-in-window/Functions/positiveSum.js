// The sum of positive readings; a reading that is not positive is a runtime error.
function main() {
    this.init = function () {
        this.sum = 0;
    }

    this.accumulate = function (value, timestamp) {
        this.sum += value;
        if (!(value > 0)) throw new RangeError("not a positive reading: " + value);
    }

    this.computeResult = function () {
        return this.sum;
    }
}
