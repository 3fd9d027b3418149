// A sum whose state can only be accumulated (no deaccumulate): a sliding window adds the window's
// events again at each result.
function main() {
    this.init = function () {
        this.state = 0;
    }

    this.accumulate = function (value, timestamp) {
        this.state += value;
    }

    this.computeResult = function () {
        return this.state;
    }
}
